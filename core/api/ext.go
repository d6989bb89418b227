package api

// engineExt is the per-engine state of the plan, exec, state, trace, field,
// guard and registry method families.
// Each family adds its fields here and initialises them in init.
type engineExt struct {
	exec     execExt     // exec.* sessions (exec_methods.go)
	plan     planExt     // plan.* predicate cache (plan_methods.go)
	state    stateExt    // breakers kept by graph handles (state_methods.go)
	trace    traceExt    // trace.* stand-alone logs (trace_methods.go)
	field    fieldExt    // field.* and guard.* handles (field_methods.go)
	registry registryExt // registry.* handles (registry_methods.go)
}

func (x *engineExt) init() {
	x.exec.init()
	x.plan.init()
	x.state.init()
	x.trace.init()
	x.field.init()
	x.registry.init()
}
