package api

import (
	"fmt"
	"math"

	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/exec"
	"github.com/convergence-io/ceg/core/swap"
)

// The dilation field and the swap oscillation guard as state a host keeps
// between calls: stand-alone fields ("f1", …) and guards ("o1", …) are
// handles ("f1.<epoch>", "o1.<epoch>") with the lifetime and limits of
// graph handles (idle eviction, field.list / guard.list, the handle
// count); a session's own
// field and guard answer the read calls ({session} instead of the handle).

//easyjson:json
type fieldConfigWire struct {
	Preset         *string  `json:"preset"`
	DwellThreshold *float64 `json:"dwellThreshold"`
	DwellTicks     *int     `json:"dwellTicks"`
	Strict         *bool    `json:"strict"`
	PullBackTo     *float64 `json:"pullBackTo"`
}

//easyjson:json
type fieldCreateParams struct {
	Config       *fieldConfigWire `json:"config"`
	MaxIdleCalls *int64           `json:"maxIdleCalls"`
}

//easyjson:json
type fieldConfigOut struct {
	DwellThreshold float64 `json:"dwellThreshold"`
	DwellTicks     int     `json:"dwellTicks"`
	Strict         bool    `json:"strict"`
	PullBackTo     float64 `json:"pullBackTo"`
}

//easyjson:json
type fieldCreateResult struct {
	Field  string         `json:"field"`
	Config fieldConfigOut `json:"config"`
}

//easyjson:json
type fieldTarget struct {
	Field   *string `json:"field"`
	Session *string `json:"session"`
}

//easyjson:json
type fieldUpdateParams struct {
	fieldTarget
	computeParams
	ID *string `json:"id"`
}

//easyjson:json
type fieldFromHealthParams struct {
	fieldTarget
	fromHealthParams
	ID *string `json:"id"`
}

//easyjson:json
type fieldGetParams struct {
	fieldTarget
	ID *string `json:"id"`
}

//easyjson:json
type fieldValue struct {
	ID    string  `json:"id"`
	D     float64 `json:"d"`
	Dwell int     `json:"dwell"`
}

//easyjson:json
type fieldSnapshotParams struct {
	fieldTarget
}

//easyjson:json
type fieldSnapshotResult struct {
	Nodes  []fieldValue   `json:"nodes"`
	Config fieldConfigOut `json:"config"`
}

//easyjson:json
type fieldApplyParams struct {
	fieldTarget
	Handle *string `json:"handle"`
}

//easyjson:json
type fieldApplyResult struct {
	Applied int `json:"applied"`
}

//easyjson:json
type fieldDropParams struct {
	Field *string `json:"field"`
}

//easyjson:json
type guardCreateParams struct {
	Limit        *int   `json:"limit"`
	Window       *int64 `json:"window"`
	MaxIdleCalls *int64 `json:"maxIdleCalls"`
}

//easyjson:json
type guardCreateResult struct {
	Guard  string `json:"guard"`
	Limit  int    `json:"limit"`
	Window int64  `json:"window"`
}

//easyjson:json
type guardPairParams struct {
	Guard   *string `json:"guard"`
	Session *string `json:"session"`
	Old     *string `json:"old"`
	New     *string `json:"new"`
	Tick    *int64  `json:"tick"`
}

//easyjson:json
type guardCountResult struct {
	Oscillating bool  `json:"oscillating"`
	Count       int   `json:"count"`
	Limit       int   `json:"limit"`
	Window      int64 `json:"window"`
}

//easyjson:json
type guardResetResult struct {
	Reset bool `json:"reset"`
}

//easyjson:json
type guardDropParams struct {
	Guard *string `json:"guard"`
}

// fieldExt is the engine state of the field and guard families.
type fieldExt struct {
	fields     map[string]*dilation.Field
	guards     map[string]*swap.Guard
	nextField  uint64
	nextGuard  uint64
	fieldNodes int // ids across live fields
}

func (x *fieldExt) init() {
	x.fields = map[string]*dilation.Field{}
	x.guards = map[string]*swap.Guard{}
}

// removeField forgets a field (field.drop, idle eviction, rollback).
func (x *fieldExt) removeField(id string) {
	if f, ok := x.fields[id]; ok {
		x.fieldNodes -= f.Len()
		delete(x.fields, id)
	}
}

func configOut(c dilation.FieldConfig) fieldConfigOut {
	return fieldConfigOut{DwellThreshold: c.DwellThreshold, DwellTicks: c.DwellTicks, Strict: c.Strict, PullBackTo: c.PullBackTo}
}

// maxKnob bounds integer knobs (ticks, counts) so no arithmetic overflows.
const maxKnob = 1_000_000

func finiteIn(v float64, lo, hi float64) bool { return v >= lo && v <= hi && !math.IsNaN(v) }

// field.create {config?, maxIdleCalls?} -> {field, config}.
func fieldCreate(e *Engine, raw []byte) (marshaler, error) {
	var p fieldCreateParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	maxIdle, err := checkMaxIdle(p.MaxIdleCalls, "maxIdleCalls")
	if err != nil {
		return nil, err
	}
	c := dilation.DefaultFieldConfig()
	if w := p.Config; w != nil {
		if w.Preset != nil {
			switch *w.Preset {
			case "module":
			case "original":
				c = dilation.OriginalFieldConfig()
			default:
				return nil, badParam("config.preset", "config.preset must be \"module\" or \"original\", got %q", *w.Preset)
			}
		}
		if w.DwellThreshold != nil {
			if !finiteIn(*w.DwellThreshold, 0, dilation.Max) {
				return nil, badParam("config.dwellThreshold", "config.dwellThreshold must be within [0, %g]", dilation.Max)
			}
			c.DwellThreshold = *w.DwellThreshold
		}
		if w.DwellTicks != nil {
			if *w.DwellTicks < 0 || *w.DwellTicks > maxKnob {
				return nil, badParam("config.dwellTicks", "config.dwellTicks must be within [0, %d]", maxKnob)
			}
			c.DwellTicks = *w.DwellTicks
		}
		if w.Strict != nil {
			c.Strict = *w.Strict
		}
		if w.PullBackTo != nil {
			if !finiteIn(*w.PullBackTo, dilation.Min, dilation.Max) {
				return nil, badParam("config.pullBackTo", "config.pullBackTo must be within [%g, %g]", dilation.Min, dilation.Max)
			}
			c.PullBackTo = *w.PullBackTo
		}
	}
	x := &e.ext.field
	if len(x.fields) >= e.limits.MaxHandles {
		return nil, errs.New(errs.CodeLimitExceeded, "%d live dilation fields: the limit; drop one first", e.limits.MaxHandles)
	}
	x.nextField++
	h := e.id("f", x.nextField)
	x.fields[h] = dilation.NewField(c)
	e.registered(h, kindField, maxIdle)
	return &fieldCreateResult{Field: h, Config: configOut(c)}, nil
}

// field resolves {field | session}; writable is false for a session's
// field (the executor owns it).
func (e *Engine) field(t fieldTarget) (f *dilation.Field, writable bool, err error) {
	switch {
	case t.Field != nil && t.Session != nil:
		return nil, false, badParam("session", "give either field or session, not both")
	case t.Session != nil:
		s, err := e.session(t.Session)
		if err != nil {
			return nil, false, err
		}
		return s.Field(), false, nil
	case t.Field == nil:
		return nil, false, missing("field")
	}
	f, ok := e.ext.field.fields[*t.Field]
	if !ok {
		return nil, false, &errs.Error{Code: errs.CodeUnknownHandle, Message: fmt.Sprintf("unknown dilation field %q", *t.Field), Path: "field"}
	}
	e.touched(*t.Field, kindField)
	return f, true, nil
}

// writableField resolves a field the host may update.
func (e *Engine) writableField(t fieldTarget, id *string) (*dilation.Field, error) {
	f, w, err := e.field(t)
	if err != nil {
		return nil, err
	}
	if !w {
		return nil, badParam("session", "a session's dilation field is updated by its executor; read it with field.get or field.snapshot")
	}
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	if !f.Has(*id) {
		if f.Len() >= e.limits.MaxNodes || e.ext.field.fieldNodes >= e.limits.MaxTotalNodes {
			return nil, errs.New(errs.CodeLimitExceeded, "the dilation field holds %d ids (%d across fields): the limit; drop a field (field.drop) first", f.Len(), e.ext.field.fieldNodes)
		}
		if err := e.objectBytes("dilation field "+*t.Field, f.Bytes(), dilation.IDBytes(*id), "drop it or another field (field.drop) first"); err != nil {
			return nil, err
		}
		e.ext.field.fieldNodes++
	}
	return f, nil
}

// field.update {field, id, uncertainty, costPressure, confidence, collapseProximity?} -> {id, d, dwell}.
func fieldUpdate(e *Engine, raw []byte) (marshaler, error) {
	var p fieldUpdateParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	return e.updateField(p.fieldTarget, p.ID, p.computeParams.d)
}

// field.fromHealth {field, id, health, latencyRatio} -> {id, d, dwell}.
func fieldFromHealth(e *Engine, raw []byte) (marshaler, error) {
	var p fieldFromHealthParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	return e.updateField(p.fieldTarget, p.ID, p.fromHealthParams.d)
}

// updateField records the D that d computes for id, through the dwell guard.
func (e *Engine) updateField(t fieldTarget, id *string, d func() (float64, error)) (marshaler, error) {
	v, err := d()
	if err != nil {
		return nil, err
	}
	f, err := e.writableField(t, id)
	if err != nil {
		return nil, err
	}
	// A failed answer puts the id back as it was (or forgets it).
	had, old, dwell := f.Has(*id), f.Get(*id), f.Dwell(*id)
	if !had {
		// writableField counted a new id.
		e.onRollback(func() { f.Forget(*id); e.ext.field.fieldNodes-- })
	} else {
		e.onRollback(func() { f.SetDwell(*id, old, dwell) })
	}
	v = f.Update(*id, v)
	return &fieldValue{ID: *id, D: v, Dwell: f.Dwell(*id)}, nil
}

// field.get {field|session, id} -> {id, d, dwell}; an unknown id has D 1.
func fieldGet(e *Engine, raw []byte) (marshaler, error) {
	var p fieldGetParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	f, _, err := e.field(p.fieldTarget)
	if err != nil {
		return nil, err
	}
	if err := checkID("id", p.ID); err != nil {
		return nil, err
	}
	return &fieldValue{ID: *p.ID, D: f.Get(*p.ID), Dwell: f.Dwell(*p.ID)}, nil
}

// field.snapshot {field|session} -> {nodes: [{id, d, dwell}], config}.
func fieldSnapshot(e *Engine, raw []byte) (marshaler, error) {
	var p fieldSnapshotParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	f, _, err := e.field(p.fieldTarget)
	if err != nil {
		return nil, err
	}
	r := &fieldSnapshotResult{Nodes: []fieldValue{}, Config: configOut(f.Config())}
	for _, id := range f.IDs() {
		r.Nodes = append(r.Nodes, fieldValue{ID: id, D: f.Get(id), Dwell: f.Dwell(id)})
	}
	return r, nil
}

// field.apply {field|session, handle} -> {applied}: every node of the graph
// takes the field's D (1 for an id the field does not hold).
func fieldApply(e *Engine, raw []byte) (marshaler, error) {
	var p fieldApplyParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	f, _, err := e.field(p.fieldTarget)
	if err != nil {
		return nil, err
	}
	if p.Handle == nil {
		return nil, missing("handle")
	}
	g, err := e.lookup(*p.Handle)
	if err != nil {
		return nil, err
	}
	n := 0
	undo, err := g.Transaction(func() error {
		for _, node := range g.Nodes() {
			if d := f.Get(node.ID); node.Dilation != d {
				if err := g.SetDilation(node.ID, d); err != nil {
					return err
				}
			}
			n++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	e.onRollback(undo)
	return &fieldApplyResult{Applied: n}, nil
}

// field.drop {field} -> {dropped: true}.
func fieldDrop(e *Engine, raw []byte) (marshaler, error) {
	var p fieldDropParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	f, _, err := e.field(fieldTarget{Field: p.Field})
	if err != nil {
		return nil, err
	}
	_ = f
	e.remove(kindField, *p.Field)
	return &dropResult{Dropped: true}, nil
}

// guard.create {limit?, window?, maxIdleCalls?} -> {guard, limit, window}.
func guardCreate(e *Engine, raw []byte) (marshaler, error) {
	var p guardCreateParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	maxIdle, err := checkMaxIdle(p.MaxIdleCalls, "maxIdleCalls")
	if err != nil {
		return nil, err
	}
	limit, window := swap.DefaultConfig().OscillationLimit, swap.DefaultConfig().OscillationWindow
	if p.Limit != nil {
		if *p.Limit < 1 || *p.Limit > maxKnob {
			return nil, badParam("limit", "limit must be within [1, %d]", maxKnob)
		}
		limit = *p.Limit
	}
	if p.Window != nil {
		if *p.Window < 1 || *p.Window > maxKnob {
			return nil, badParam("window", "window must be within [1, %d]", maxKnob)
		}
		window = *p.Window
	}
	x := &e.ext.field
	if len(x.guards) >= e.limits.MaxHandles {
		return nil, errs.New(errs.CodeLimitExceeded, "%d live oscillation guards: the limit; drop one first", e.limits.MaxHandles)
	}
	x.nextGuard++
	h := e.id("o", x.nextGuard)
	x.guards[h] = swap.NewGuard(limit, window)
	e.registered(h, kindGuard, maxIdle)
	return &guardCreateResult{Guard: h, Limit: limit, Window: window}, nil
}

// guardPair decodes {guard|session, old, new, tick?} and returns the count
// function of the guard or the session's registry.
func (e *Engine) guardPair(raw []byte, needTick bool) (p guardPairParams, g *swap.Guard, s *exec.Session, err error) {
	if err = decodeParams(raw, &p); err != nil {
		return
	}
	switch {
	case p.Guard != nil && p.Session != nil:
		err = badParam("session", "give either guard or session, not both")
		return
	case p.Session != nil:
		s, err = e.session(p.Session)
		if err != nil {
			return
		}
	case p.Guard == nil:
		err = missing("guard")
		return
	default:
		var ok bool
		if g, ok = e.ext.field.guards[*p.Guard]; !ok {
			err = &errs.Error{Code: errs.CodeUnknownHandle, Message: fmt.Sprintf("unknown oscillation guard %q", *p.Guard), Path: "guard"}
			return
		}
		e.touched(*p.Guard, kindGuard)
	}
	if err = checkID("old", p.Old); err != nil {
		return
	}
	if err = checkID("new", p.New); err != nil {
		return
	}
	switch {
	case needTick && p.Tick == nil:
		err = missing("tick")
	case needTick && *p.Tick < 0:
		err = badParam("tick", "tick must be non-negative")
	case !needTick && p.Tick != nil:
		err = badParam("tick", "guard.reset takes no tick")
	}
	return
}

// guard.recordSwap {guard, old, new, tick} -> {oscillating, count, limit, window}.
func guardRecordSwap(e *Engine, raw []byte) (marshaler, error) {
	p, g, s, err := e.guardPair(raw, true)
	if err != nil {
		return nil, err
	}
	if s != nil {
		return nil, badParam("session", "a session's swaps are recorded by its executor; read them with guard.isOscillating")
	}
	if err := e.objectBytes("oscillation guard "+*p.Guard, g.Bytes(), g.RecordBytes(*p.Old, *p.New), "reset pairs (guard.reset) or drop a guard (guard.drop) first"); err != nil {
		return nil, err
	}
	e.onRollback(g.Record(*p.Old, *p.New, *p.Tick))
	return &guardCountResult{Oscillating: g.IsOscillating(*p.Old, *p.New, *p.Tick), Count: g.Count(*p.Old, *p.New, *p.Tick), Limit: g.Limit, Window: g.Window}, nil
}

// guard.isOscillating {guard|session, old, new, tick} -> {oscillating, count, limit, window}.
func guardIsOscillating(e *Engine, raw []byte) (marshaler, error) {
	p, g, s, err := e.guardPair(raw, true)
	if err != nil {
		return nil, err
	}
	if s != nil {
		cfg := s.Registry().Config()
		n := s.Registry().PairCount(*p.Old, *p.New, *p.Tick)
		return &guardCountResult{Oscillating: n > cfg.OscillationLimit, Count: n, Limit: cfg.OscillationLimit, Window: cfg.OscillationWindow}, nil
	}
	return &guardCountResult{Oscillating: g.IsOscillating(*p.Old, *p.New, *p.Tick), Count: g.Count(*p.Old, *p.New, *p.Tick), Limit: g.Limit, Window: g.Window}, nil
}

// guard.reset {guard, old, new} -> {reset: true}.
func guardReset(e *Engine, raw []byte) (marshaler, error) {
	p, g, s, err := e.guardPair(raw, false)
	if err != nil {
		return nil, err
	}
	if s != nil {
		return nil, badParam("session", "a session's swap history is part of its audit and cannot be reset")
	}
	before := g.Clone()
	e.onRollback(func() { g.Restore(before) })
	g.Reset(*p.Old, *p.New)
	return &guardResetResult{Reset: true}, nil
}

// guard.drop {guard} -> {dropped: true}.
func guardDrop(e *Engine, raw []byte) (marshaler, error) {
	var p guardDropParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Guard == nil {
		return nil, missing("guard")
	}
	if _, ok := e.ext.field.guards[*p.Guard]; !ok {
		return nil, &errs.Error{Code: errs.CodeUnknownHandle, Message: fmt.Sprintf("unknown oscillation guard %q", *p.Guard), Path: "guard"}
	}
	e.remove(kindGuard, *p.Guard)
	return &dropResult{Dropped: true}, nil
}
