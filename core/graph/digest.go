package graph

import (
	"encoding/binary"
	"math"
)

// The digest encoding is a canonical binary form of nodes and edges for
// content hashes (the plan id hashes the whole graph on every call, so it
// must be cheaper than JSON: no float formatting, no escaping). Every field
// is written in declaration order: a string or byte slice as its uvarint
// length and bytes, a slice as its uvarint length and elements, a float as
// its 8 IEEE-754 bytes, a bool as one byte, a pointer as a presence byte
// and its value. Two values encode alike exactly when every field is equal
// (a float by its bits, so 0 and -0 differ as they do in JSON); a field
// added to Node, Rule or Edge must be added here, which digest_test.go
// checks by reflection.

// AppendDigest appends the node's digest encoding to b.
func (n *Node) AppendDigest(b []byte) []byte {
	b = appendStr(b, n.ID)
	b = appendStr(b, n.Kind)
	b = appendStr(b, n.Label)
	b = appendBytes(b, n.Meta)
	b = appendBool(b, n.Active)
	b = appendFloat(b, n.Dilation)
	b = appendFloat(b, n.LatencyMs)
	b = appendStr(b, n.Text)
	b = binary.AppendUvarint(b, uint64(len(n.Embedding)))
	for _, f := range n.Embedding {
		b = appendFloat(b, f)
	}
	b = appendStrs(b, n.Capabilities)
	b = appendFloatPtr(b, n.Tokens)
	b = appendStrs(b, n.Labels)
	b = appendStr(b, n.ResourceKind)
	b = appendStr(b, n.Provider)
	b = appendFloat(b, n.CostPerToken)
	b = appendFloat(b, n.CostPerCall)
	b = appendFloatPtr(b, n.LatencyTargetMs)
	b = appendFloatPtr(b, n.Health)
	b = appendBool(b, n.External)
	b = appendBool(b, n.AcceptsLabels != nil)
	if n.AcceptsLabels != nil {
		b = appendStrs(b, *n.AcceptsLabels)
	}
	b = appendStr(b, n.MinScope)
	b = appendStr(b, n.Predicate)
	b = appendStr(b, n.Scope)
	b = appendStr(b, n.Severity)
	b = appendBool(b, n.Satisfied != nil)
	if n.Satisfied != nil {
		b = appendBool(b, *n.Satisfied)
	}
	b = binary.AppendUvarint(b, uint64(len(n.PolicySet)))
	for i := range n.PolicySet {
		b = n.PolicySet[i].appendDigest(b)
	}
	b = appendStr(b, n.IdentityScope)
	b = appendStr(b, n.Content)
	b = appendStr(b, n.Provenance)
	b = appendStr(b, n.AccessPolicy)
	b = appendStr(b, n.Event)
	b = appendStr(b, n.CausalParent)
	b = appendStr(b, n.Actor)
	b = appendBool(b, n.Tick != nil)
	if n.Tick != nil {
		b = binary.AppendVarint(b, *n.Tick)
	}
	b = appendFloatPtr(b, n.At)
	b = appendStr(b, n.Hash)
	b = appendStr(b, n.PrevHash)
	b = appendStr(b, n.ViewType)
	b = appendStr(b, n.Filter)
	b = appendStr(b, n.RenderPolicy)
	b = appendStr(b, n.FeatureState)
	return appendStrs(b, n.Sources)
}

func (r *Rule) appendDigest(b []byte) []byte {
	b = appendStr(b, r.Effect)
	b = appendStr(b, r.Provider)
	b = appendStr(b, r.ResourceKind)
	b = appendStr(b, r.Capability)
	b = appendStr(b, r.Label)
	return appendStr(b, r.Action)
}

// AppendDigest appends the edge's digest encoding to b.
func (e *Edge) AppendDigest(b []byte) []byte {
	b = appendStr(b, e.From)
	b = appendStr(b, e.To)
	b = appendStr(b, e.Kind)
	b = appendFloatPtr(b, e.Weight)
	return appendBytes(b, e.Meta)
}

func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendBytes(b, s []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendStrs(b []byte, list []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(list)))
	for _, s := range list {
		b = appendStr(b, s)
	}
	return b
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

func appendFloat(b []byte, f float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
}

func appendFloatPtr(b []byte, f *float64) []byte {
	if f == nil {
		return append(b, 0)
	}
	return appendFloat(append(b, 1), *f)
}
