package testrunner

import (
	"context"
	"fmt"
	"os"
	"testing"
)

// shared is the module every test instantiates from (compiled once).
var shared *Module

func TestMain(m *testing.M) {
	var err error
	shared, err = Open(context.Background(), "../"+DefaultModulePath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	shared.CloseRuntime()
	os.Exit(code)
}

// fresh returns a new instance for one test.
func fresh(t testing.TB) *Module {
	t.Helper()
	m, err := shared.Fresh()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m
}

func call(t testing.TB, m *Module, req string) string {
	t.Helper()
	resp, err := m.Call([]byte(req))
	if err != nil {
		t.Fatalf("call %s: %v", req, err)
	}
	return string(resp)
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
