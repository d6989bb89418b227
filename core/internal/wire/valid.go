package wire

// MaxDepth is the deepest nesting Valid accepts, as encoding/json.
const MaxDepth = 10000

// Valid reports whether data is one valid JSON value (surrounded by optional
// whitespace). It accepts exactly what encoding/json.Valid accepts — the
// differential test and fuzz target in valid_test.go hold it to that — but
// scans several times faster, which matters because every request is
// validated before anything in it runs (a batch must be rejected whole).
// It allocates only the nesting stack.
func Valid(data []byte) bool { return scan(data, nil) }

// Member is one member of a JSON object (Key is empty for an element of an
// array): Key is the raw key with its quotes, Value the raw value.
type Member struct {
	Key, Value []byte
}

// Split reports whether data is valid JSON, exactly as Valid, and in the
// same pass appends to *top the members of the top-level value when it is
// an object or its elements when it is an array (nothing for a scalar);
// container is '{', '[' or 0 (invalid data appends nothing). A request is
// validated and split into its envelope members (or batch elements) in one
// pass over its bytes.
func Split(data []byte, top *[]Member) (valid bool, container byte) {
	n := len(*top)
	if !scan(data, top) {
		*top = (*top)[:n]
		return false, 0
	}
	if i := skipSpace(data, 0); data[i] == '{' || data[i] == '[' {
		return true, data[i]
	}
	return true, 0
}

// scan is Valid; with top non-nil it also records the members (or
// elements) of the top-level container.
func scan(data []byte, top *[]Member) bool {
	var stack []byte // open containers: '{' or '['
	var keyAt, keyEnd, valAt int
	i := skipSpace(data, 0)
	for {
		// A value starts at i.
		if i >= len(data) {
			return false
		}
		if top != nil && len(stack) == 1 {
			valAt = i
		}
		switch c := data[i]; {
		case c == '{' || c == '[':
			if len(stack) >= MaxDepth {
				return false
			}
			stack = append(stack, c)
			i = skipSpace(data, i+1)
			if i < len(data) && data[i] == c+2 { // '{'+2 is '}', '['+2 is ']'
				stack = stack[:len(stack)-1]
				i++
				break
			}
			if c == '{' {
				k, end := i, 0
				if i, end = keyAndEnd(data, i); i < 0 {
					return false
				}
				if len(stack) == 1 {
					keyAt, keyEnd = k, end
				}
			}
			continue
		case c == '"':
			if i = scanString(data, i); i < 0 {
				return false
			}
		case c == 't':
			if i = literal(data, i, "true"); i < 0 {
				return false
			}
		case c == 'f':
			if i = literal(data, i, "false"); i < 0 {
				return false
			}
		case c == 'n':
			if i = literal(data, i, "null"); i < 0 {
				return false
			}
		default:
			if i = scanNumber(data, i); i < 0 {
				return false
			}
		}
		// After a value: close containers, or move to the next element.
		for {
			if top != nil && len(stack) == 1 {
				// A member of the top-level container ended at i.
				m := Member{Value: data[valAt:i]}
				if stack[0] == '{' {
					m.Key = data[keyAt:keyEnd]
				}
				*top = append(*top, m)
			}
			i = skipSpace(data, i)
			if len(stack) == 0 {
				return i == len(data)
			}
			if i >= len(data) {
				return false
			}
			open := stack[len(stack)-1]
			if data[i] == open+2 {
				stack = stack[:len(stack)-1]
				i++
				continue
			}
			if data[i] != ',' {
				return false
			}
			i = skipSpace(data, i+1)
			if open == '{' {
				k, end := i, 0
				if i, end = keyAndEnd(data, i); i < 0 {
					return false
				}
				if len(stack) == 1 {
					keyAt, keyEnd = k, end
				}
			}
			break
		}
	}
}

// keyAndEnd scans `"name" :` and the space after it, returning the index
// of the value and the index after the key's closing quote; -1 when
// malformed.
func keyAndEnd(data []byte, i int) (next, end int) {
	if i >= len(data) || data[i] != '"' {
		return -1, 0
	}
	if i = scanString(data, i); i < 0 {
		return -1, 0
	}
	end = i
	i = skipSpace(data, i)
	if i >= len(data) || data[i] != ':' {
		return -1, 0
	}
	return skipSpace(data, i+1), end
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// scanString scans the string starting at the quote at i and returns the
// index after its closing quote, or -1.
func scanString(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"':
			return i + 1
		case c == '\\':
			i++
			if i >= len(data) {
				return -1
			}
			switch data[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(data) {
					return -1
				}
				for _, h := range data[i+1 : i+5] {
					if !isHex(h) {
						return -1
					}
				}
				i += 4
			default:
				return -1
			}
		case c < 0x20:
			return -1
		}
	}
	return -1
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func literal(data []byte, i int, word string) int {
	if len(data)-i < len(word) || string(data[i:i+len(word)]) != word {
		return -1
	}
	return i + len(word)
}

// scanNumber scans -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? at i.
func scanNumber(data []byte, i int) int {
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && '1' <= data[i] && data[i] <= '9':
		i = digits(data, i)
	default:
		return -1
	}
	if i < len(data) && data[i] == '.' {
		j := digits(data, i+1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		j := digits(data, i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

func digits(data []byte, i int) int {
	for i < len(data) && '0' <= data[i] && data[i] <= '9' {
		i++
	}
	return i
}
