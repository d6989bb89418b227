package dilation

// DwellTicks is how many consecutive ticks a node may stay at D >= DwellHigh
// before the dwell guard forces it to Min for one tick.
const (
	DwellTicks = 8
	DwellHigh  = 1.5
)

// Field is D over the nodes of a graph, with the dwell guard. Unknown nodes
// have D = 1. The zero Field is ready to use.
type Field struct {
	d     map[string]float64
	dwell map[string]int
}

// Get returns D for id (1 when never set).
func (f *Field) Get(id string) float64 {
	if v, ok := f.d[id]; ok {
		return v
	}
	return 1
}

// Dwell returns how many consecutive ticks id has been at D >= DwellHigh.
func (f *Field) Dwell(id string) int { return f.dwell[id] }

// Update records this tick's D for id and returns the value in force: a node
// whose D >= 1.5 for more than 8 consecutive ticks is forced to 0.1 for that
// tick and its dwell count is reset.
func (f *Field) Update(id string, d float64) float64 {
	if f.d == nil {
		f.d, f.dwell = map[string]float64{}, map[string]int{}
	}
	if d >= DwellHigh {
		f.dwell[id]++
		if f.dwell[id] > DwellTicks {
			d = Min
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
	f.d[id], f.dwell[id] = d, dwell
}

// Forget drops id from the field.
func (f *Field) Forget(id string) {
	delete(f.d, id)
	delete(f.dwell, id)
}
