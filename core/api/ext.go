package api

// engineExt is the per-engine state of the plan and exec method families.
// Each family adds its fields here and initialises them in init.
type engineExt struct{}

func (x *engineExt) init() {}
