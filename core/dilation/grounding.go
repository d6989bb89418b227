package dilation

import "math"

// Grounding is how much external grounding a step at a given D should do.
//
//easyjson:json
type Grounding struct {
	FetchExternal bool `json:"fetchExternal"`
	MaxResults    int  `json:"maxResults"`
	MinSources    int  `json:"minSources"`
	DeepMode      bool `json:"deepMode"`
}

// Default grounding bases.
const (
	BaseMaxResults = 5
	BaseMinSources = 2
)

// Policy is grounding(D, baseMaxResults, baseMinSources) of docs/DESIGN.md#grounding. For
// D <= 1 it fetches externally only when D > 0.5 and keeps the bases; above
// 1 it always fetches, scales maxResults by D (rounded half away from zero)
// and from D >= 3 asks for one more source in deep mode. Every output is
// monotone non-decreasing in D.
func Policy(d float64, baseMaxResults, baseMinSources int) Grounding {
	if d <= 1 {
		return Grounding{FetchExternal: d > 0.5, MaxResults: baseMaxResults, MinSources: baseMinSources}
	}
	g := Grounding{FetchExternal: true, MaxResults: int(math.Round(float64(float64(baseMaxResults) * d))), MinSources: baseMinSources, DeepMode: d >= 3}
	if d >= 3 {
		g.MinSources++
	}
	return g
}
