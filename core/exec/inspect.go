package exec

import (
	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/swap"
)

// Field returns the session's dilation field (read it; the executor updates
// it every tick).
func (s *Session) Field() *dilation.Field { return &s.field }

// Registry returns the session's hot-swap registry (read it; the executor
// changes it).
func (s *Session) Registry() *swap.Registry { return s.reg }
