package api

import "github.com/convergence-io/ceg/core/graph"

// Params and results of the graph.* methods.

//easyjson:json
type graphParams struct {
	GraphRef
}

//easyjson:json
type createParams struct {
	GraphRef
	MaxIdleCalls *int64 `json:"maxIdleCalls"`
}

//easyjson:json
type handleParams struct {
	Handle *string `json:"handle"`
}

//easyjson:json
type validateResult struct {
	Valid bool `json:"valid"`
	Nodes int  `json:"nodes"`
	Edges int  `json:"edges"`
}

//easyjson:json
type createResult struct {
	Handle string `json:"handle"`
	Nodes  int    `json:"nodes"`
	Edges  int    `json:"edges"`
}

//easyjson:json
type applyParams struct {
	Handle *string `json:"handle"`
	Ops    []op    `json:"ops"`
}

// op is one graph.apply operation; which fields it may carry depends on Op.
//
//easyjson:json
type op struct {
	Op    string      `json:"op"`
	Node  *graph.Node `json:"node"`
	Edge  *graph.Edge `json:"edge"`
	ID    *string     `json:"id"`
	OldID *string     `json:"oldId"`
	From  *string     `json:"from"`
	To    *string     `json:"to"`
	Kind  *string     `json:"kind"`
}

//easyjson:json
type opResult struct {
	Op    string      `json:"op"`
	ID    string      `json:"id,omitempty"`
	Added *bool       `json:"added,omitempty"`
	Node  *graph.Node `json:"node,omitempty"`
	Edge  *graph.Edge `json:"edge,omitempty"`
	Old   *graph.Node `json:"old,omitempty"`
	Tick  *int64      `json:"tick,omitempty"`
	// RolledBack (op rollback): false when the id had no rollback state.
	RolledBack *bool `json:"rolledBack,omitempty"`
}

//easyjson:json
type applyResult struct {
	Results  []opResult   `json:"results"`
	Snapshot snapshotWire `json:"snapshot"`
}

//easyjson:json
type queryParams struct {
	GraphRef
	Query *string `json:"query"`
	ID    *string `json:"id"`
	Kind  *string `json:"kind"`
}

//easyjson:json
type exportParams struct {
	Handle  *string `json:"handle"`
	Session *string `json:"session"`
}

//easyjson:json
type exportResult struct {
	Graph *graph.Doc `json:"graph"`
}

//easyjson:json
type dropResult struct {
	Dropped bool `json:"dropped"`
}

//easyjson:json
type snapshotWire struct {
	Tick   int64     `json:"tick"`
	Nodes  int       `json:"nodes"`
	Edges  int       `json:"edges"`
	ByKind kindCount `json:"byKind"`
}
