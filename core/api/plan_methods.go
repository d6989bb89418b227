package api

import (
	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/state"
)

// Params and results of the plan.* methods.

//easyjson:json
type planOptimizeParams struct {
	GraphRef
	Contract contractArg       `json:"contract"` // decoded into the engine's memory (plan_args.go)
	State    stateArg          `json:"state"`
	Weights  *plan.CostWeights `json:"weights"`
	// Select is "plan" (the default: the full plan) or "route" (the lean
	// answer of plan_route.go).
	Select *string `json:"select"`
}

//easyjson:json
type planResult struct {
	Plan *plan.Plan `json:"plan"`
}

//easyjson:json
type planReoptimizeParams struct {
	GraphRef
	Contract *plan.Contract     `json:"contract"`
	State    *state.SystemState `json:"state"`
	Previous *plan.Plan         `json:"previous"`
	Done     []string           `json:"done"`
	Active   []string           `json:"active"`
}

//easyjson:json
type reoptimizeResult struct {
	Plan    *plan.Plan    `json:"plan"`
	Changes []plan.Change `json:"changes"`
}

// planExt is the engine state of the plan family: one predicate cache per
// engine, so a predicate text compiles once however many turns use it, and
// one plan.Cache per graph handle (dropped with the handle), so a handle's
// graph index, the graph part of its plan ids and its intent estimates are
// computed once per change of the graph, not once per turn.
type planExt struct {
	compiler *plan.Compiler
	caches   map[string]*plan.Cache
	params   planOptimizeParams
	contract contractBuf       // plan.optimize's decoded contract
	state    state.SystemState // plan.optimize's decoded state
	result   planResult
	buf      plan.Buffer // plan.optimize's plan, encoded before the next call
	memo     planMemo    // plan.optimize's last answer per handle (plan_memo.go)
	keeper   memoKeeper  // plan.optimize's answer by handle: encoded, then kept in memo
}

func (x *planExt) init() {
	x.compiler = plan.NewCompiler(0)
	x.caches = map[string]*plan.Cache{}
	x.memo.init()
}

// options returns the optimizer options of a call over ref: the engine's
// compiler and, for a graph named by handle, that handle's cache.
func (x *planExt) options(ref GraphRef) plan.Options {
	o := plan.Options{Compiler: x.compiler}
	if ref.Handle != nil {
		c := x.caches[*ref.Handle]
		if c == nil {
			c = plan.NewCache()
			x.caches[*ref.Handle] = c
		}
		o.Cache = c
	}
	return o
}

// plan.optimize {graph|handle, contract, state?, weights?, select?} -> {plan},
// or {route} with select "route".
func planOptimize(e *Engine, raw []byte) (marshaler, error) {
	// The params and result structs are the engine's, reused every call
	// (the result is encoded before the next call starts).
	if kept := e.memoAnswer(raw); kept != nil {
		return kept, nil
	}
	x := &e.ext.plan
	p := &x.params
	*p = planOptimizeParams{Contract: contractArg{buf: &x.contract}, State: stateArg{buf: &x.state}}
	if err := decodeParams(raw, p); err != nil {
		return nil, err
	}
	contract, st := p.Contract.get(), p.State.get()
	if contract == nil {
		return nil, missing("contract")
	}
	lean := false
	if p.Select != nil {
		switch *p.Select {
		case selectPlan:
		case selectRoute:
			lean = true
		default:
			return nil, badParam("select", "select must be %q or %q, not %q", selectPlan, selectRoute, *p.Select)
		}
	}
	g, _, err := e.resolve(p.GraphRef)
	if err != nil {
		return nil, err
	}
	opts := e.ext.plan.options(p.GraphRef)
	opts.Buffer = &e.ext.plan.buf
	pl, err := plan.Optimize(plan.Input{Graph: g, Contract: contract, State: st, Weights: p.Weights}, opts)
	if err != nil {
		return nil, planError(err, p.GraphRef)
	}
	var res marshaler
	if lean {
		res = routeOf(pl)
	} else {
		x.result = planResult{Plan: pl}
		res = &x.result
	}
	if p.Handle == nil {
		return res, nil
	}
	x.keeper = memoKeeper{memo: &x.memo, handle: *p.Handle, g: g, raw: raw, res: res} // plan_keep.go
	return &x.keeper, nil
}

// plan.reoptimize {graph|handle, contract, state?, previous, done?, active?} -> {plan, changes}.
func planReoptimize(e *Engine, raw []byte) (marshaler, error) {
	var p planReoptimizeParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Contract == nil {
		return nil, missing("contract")
	}
	if p.Previous == nil {
		return nil, missing("previous")
	}
	g, _, err := e.resolve(p.GraphRef)
	if err != nil {
		return nil, err
	}
	pl, changes, err := plan.Reoptimize(p.Previous, plan.Input{Graph: g, Contract: p.Contract, State: p.State},
		p.Done, p.Active, e.ext.plan.options(p.GraphRef))
	if err != nil {
		return nil, planError(err, p.GraphRef)
	}
	return &reoptimizeResult{Plan: pl, Changes: changes}, nil
}

// planError gives graph errors of the optimizer a path when the graph came
// inline: INVALID_PREDICATE points at the constraint's predicate, a cycle
// between intents at the edges.
func planError(err error, ref GraphRef) error {
	e, ok := err.(*errs.Error)
	if !ok || e.Path != "" || ref.Graph == nil {
		return err
	}
	switch e.Code {
	case errs.CodeInvalidPred:
		if len(e.IDs) == 1 {
			for i, n := range ref.Graph.Nodes {
				if n != nil && n.ID == e.IDs[0] {
					return e.At(errs.Index("graph.nodes", i) + ".predicate")
				}
			}
		}
	case errs.CodeCycle:
		return e.At("graph.edges")
	}
	return err
}
