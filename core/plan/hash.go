package plan

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"sort"

	"github.com/mailru/easyjson/jwriter"
)

// id is the plan id: "plan-" and the first 16 hex digits of the SHA-256 of
// the normalized inputs: the graph (its tick, then its nodes sorted by id
// and its edges by from, to, kind, defaults filled in, in the binary digest
// encoding of graph.Node.AppendDigest, which costs a fraction of JSON on a
// large graph and is hashed on every call), then as JSON the contract after
// Normalize (its id lists sorted and deduplicated, its weights replaced by
// the resolved weights), the state (an empty state when absent) and the
// resolved weights. extra appends reoptimize's own inputs. Equal inputs
// give equal ids whatever order their nodes and edges came in.
func (p *problem) id(extra func(w *jwriter.Writer)) string {
	var h hash.Hash
	if p.cache != nil {
		h = p.cache.hasher()
	}
	if h == nil {
		h = sha256.New()
		p.hashGraph(h)
		if p.cache != nil {
			p.cache.keep(h)
		}
	}
	// The JSON part is written into the scratch's hash buffer (no buffer
	// chunks from easyjson's pool) and hashed in one write.
	if cap(p.ws.hash) < hashChunk+1024 {
		p.ws.hash = make([]byte, 0, hashChunk+1024)
	}
	w := &p.ws.w
	*w = jwriter.Writer{}
	w.Buffer.Buf = p.ws.hash[:0]
	c := *p.c
	c.Weights = nil
	c.Intents = sortedSet(c.Intents)
	if c.AllowedProviders != nil {
		c.AllowedProviders = append(ProviderList{}, sortedSet(c.AllowedProviders)...)
	}
	c.ForbiddenProviders = sortedSet(c.ForbiddenProviders)
	w.RawString(`{"contract":`)
	c.MarshalEasyJSON(w)
	w.RawString(`,"state":`)
	p.s.MarshalEasyJSON(w)
	w.RawString(`,"weights":`)
	p.w.wire().MarshalEasyJSON(w)
	if extra != nil {
		extra(w)
	}
	w.RawByte('}')
	if w.Buffer.Size() == len(w.Buffer.Buf) {
		h.Write(w.Buffer.Buf)
		p.ws.hash = w.Buffer.Buf[:0]
	} else {
		// It outgrew the buffer, which DumpTo may hand to easyjson's pool:
		// let it go.
		p.ws.hash = nil
		_, _ = w.DumpTo(h) // writing to a hash never fails
	}
	*w = jwriter.Writer{}
	sum := h.Sum(p.ws.sum[:0])
	var id [len("plan-") + 16]byte
	copy(id[:], "plan-")
	hex.Encode(id[len("plan-"):], sum[:8])
	if p.cache != nil {
		return p.cache.idString(id[:])
	}
	return string(id[:])
}

// hashGraph writes the graph part of the plan id into h.
func (p *problem) hashGraph(h hash.Hash) {
	doc := p.x.doc
	buf := p.ws.hash[:0]
	if cap(buf) < hashChunk+1024 {
		buf = make([]byte, 0, hashChunk+1024)
	}
	defer func() { p.ws.hash = buf[:0] }()
	buf = append(buf, "ceg plan id v2\x00"...)
	buf = binary.AppendVarint(buf, doc.Tick)
	buf = binary.AppendUvarint(buf, uint64(len(doc.Nodes)))
	for _, n := range doc.Nodes {
		buf = flushFull(h, n.AppendDigest(buf))
	}
	buf = binary.AppendUvarint(buf, uint64(len(doc.Edges)))
	for _, e := range doc.Edges {
		buf = flushFull(h, e.AppendDigest(buf))
	}
	h.Write(buf)
}

// hashChunk is how many bytes of digest encoding id gathers before it
// hashes them.
const hashChunk = 16 << 10

// flushFull hashes buf and empties it once it holds hashChunk bytes.
func flushFull(h hash.Hash, buf []byte) []byte {
	if len(buf) < hashChunk {
		return buf
	}
	h.Write(buf)
	return buf[:0]
}

func sortedSet(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	out := append([]string(nil), list...)
	sort.Strings(out)
	k := 0
	for i, s := range out {
		if i == 0 || s != out[k-1] {
			out[k] = s
			k++
		}
	}
	return out[:k]
}
