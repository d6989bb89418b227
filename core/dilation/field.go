package dilation

import "sort"

// DwellTicks is how many consecutive ticks a node may stay at D >= DwellHigh
// before the dwell guard forces it to Min for one tick.
const (
	DwellTicks = 8
	DwellHigh  = 1.5
)

// Default is D of a node the field has never set (the original's D_DEFAULT).
const Default = 1.0

// FieldConfig is the dwell guard of a Field. The zero FieldConfig means
// DefaultFieldConfig.
type FieldConfig struct {
	DwellThreshold float64 // D at (or, Strict, above) this dwells (1.5)
	DwellTicks     int     // more than this many consecutive dwelling updates pull D back (8)
	Strict         bool    // false: D >= threshold dwells; true: D > threshold (the original)
	PullBackTo     float64 // the D forced when the guard fires (Min, 0.1; the original: Default, 1.0)
}

// DefaultFieldConfig is the module's dwell guard: D >= 1.5 for more than 8
// consecutive updates is forced to 0.1.
func DefaultFieldConfig() FieldConfig {
	return FieldConfig{DwellThreshold: DwellHigh, DwellTicks: DwellTicks, PullBackTo: Min}
}

// OriginalFieldConfig is the original CEG's dwell guard: D above 1.5 for
// more than 8 consecutive updates is pulled back to D_DEFAULT (1.0).
func OriginalFieldConfig() FieldConfig {
	return FieldConfig{DwellThreshold: DwellHigh, DwellTicks: DwellTicks, Strict: true, PullBackTo: Default}
}

// Field is D over the nodes of a graph, with the dwell guard. Unknown nodes
// have D = 1. The zero Field is ready to use and has DefaultFieldConfig.
type Field struct {
	d     map[string]float64
	dwell map[string]int
	cfg   *FieldConfig
	bytes int // Σ IDBytes over the ids held
}

// idOverhead is the byte size of an id's entries apart from the id: a D
// and a dwell count, each in a map entry with its own string header.
const idOverhead = 64

// IDBytes is the byte size of one id held by a field, the estimate the
// engine's byte budgets count (as graph.NodeBytes is for a node).
func IDBytes(id string) int { return idOverhead + 2*len(id) }

// Bytes is the byte size of the ids the field holds.
func (f *Field) Bytes() int { return f.bytes }

// NewField returns an empty field with the given dwell guard.
func NewField(cfg FieldConfig) *Field { return &Field{cfg: &cfg} }

// Config returns the field's dwell guard.
func (f *Field) Config() FieldConfig {
	if f.cfg == nil {
		return DefaultFieldConfig()
	}
	return *f.cfg
}

// IDs returns the ids the field holds, sorted.
func (f *Field) IDs() []string {
	out := make([]string, 0, len(f.d))
	for id := range f.d {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// Len is the number of ids the field holds.
func (f *Field) Len() int { return len(f.d) }

// Get returns D for id (Default, 1, when never set).
func (f *Field) Get(id string) float64 {
	if v, ok := f.d[id]; ok {
		return v
	}
	return Default
}

// Dwell returns how many consecutive ticks id has been at D >= DwellHigh.
func (f *Field) Dwell(id string) int { return f.dwell[id] }

// Update records this tick's D for id and returns the value in force: a node
// whose D >= 1.5 for more than 8 consecutive ticks is forced to 0.1 for that
// tick and its dwell count is reset (with the field's FieldConfig: its
// threshold, count, comparison and pull-back value).
func (f *Field) Update(id string, d float64) float64 {
	if f.d == nil {
		f.d, f.dwell = map[string]float64{}, map[string]int{}
	}
	if _, ok := f.d[id]; !ok {
		f.bytes += IDBytes(id)
	}
	c := f.Config()
	if d > c.DwellThreshold || (!c.Strict && d == c.DwellThreshold) {
		f.dwell[id]++
		if f.dwell[id] > c.DwellTicks {
			d = c.PullBackTo
			f.dwell[id] = 0
		}
	} else {
		f.dwell[id] = 0
	}
	f.d[id] = d
	return d
}

// SetDwell restores a dwell count (used by session restore).
func (f *Field) SetDwell(id string, d float64, dwell int) {
	if f.d == nil {
		f.d, f.dwell = map[string]float64{}, map[string]int{}
	}
	if _, ok := f.d[id]; !ok {
		f.bytes += IDBytes(id)
	}
	f.d[id], f.dwell[id] = d, dwell
}

// Forget drops id from the field.
func (f *Field) Forget(id string) {
	if _, ok := f.d[id]; ok {
		f.bytes -= IDBytes(id)
	}
	delete(f.d, id)
	delete(f.dwell, id)
}

// Has reports whether the field holds id.
func (f *Field) Has(id string) bool {
	_, ok := f.d[id]
	return ok
}
