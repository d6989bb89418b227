// Package wire holds small JSON building blocks shared by the wire types:
// an opaque JSON value kept compact (Raw), ordered string-keyed maps that
// always encode with sorted keys (FloatMap), and the path locator that turns
// a decoder's byte offset into a JSON path (PathAt).
//
// Everything here encodes deterministically: no Go map is ever iterated to
// produce output.
package wire
