module github.com/convergence-io/ceg

go 1.26.8

require (
	github.com/expr-lang/expr v1.17.8
	github.com/mailru/easyjson v0.9.2
	github.com/tetratelabs/wazero v1.12.0
	golang.org/x/text v0.44.0
)

require (
	github.com/josharian/intern v1.0.0 // indirect
	golang.org/x/sys v0.44.0 // indirect
)

tool github.com/mailru/easyjson/easyjson
