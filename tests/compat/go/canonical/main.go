// Command canonical prints what Go's encoding/json writes for the rows of vectors.json: the
// canonical items array and its SHA-256, the expected values of the C# canonical-JSON tests
// (expected.json). Maps are marshalled with sorted keys and HTML escaping on, as encoding/json
// always does; numbers are decoded as the Kubernetes JSON decoder decodes them (int64 when the
// text is an integer that fits, float64 otherwise). Standard library only.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// row has the field names and order of the original's item rows (SPEC §3).
type row struct {
	TargetNamespace string         `json:"targetNamespace"`
	TargetName      string         `json:"targetName"`
	Namespace       string         `json:"namespace"`
	Name            string         `json:"name"`
	Group           string         `json:"group,omitempty"`
	Version         string         `json:"version"`
	Kind            string         `json:"kind"`
	UID             string         `json:"uid"`
	Attributes      map[string]any `json:"attributes"`
}

type vector struct {
	Name       string          `json:"name"`
	Row        row             `json:"row"`
	Attributes json.RawMessage `json:"attributes"`
}

type expectation struct {
	Name     string `json:"name"`
	Items    string `json:"items"`
	Checksum string `json:"checksum"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run main.go vectors.json > expected.json")
		os.Exit(2)
	}
	input, err := os.ReadFile(os.Args[1])
	check(err)
	var vectors []vector
	check(json.Unmarshal(input, &vectors))

	out := make([]expectation, 0, len(vectors)+1)
	all := make([]row, 0, len(vectors))
	for _, v := range vectors {
		r := v.Row
		r.Attributes = decodeObject(v.Attributes)
		all = append(all, r)
		out = append(out, expect(v.Name, []row{r}))
	}
	// SPEC §4's canonical order: the identity fields joined by NUL, compared as bytes.
	sort.SliceStable(all, func(i, j int) bool { return sortKey(all[i]) < sortKey(all[j]) })
	out = append(out, expect("all rows in canonical order", all))

	text, err := json.MarshalIndent(out, "", "  ")
	check(err)
	fmt.Println(string(text))
}

func sortKey(r row) string {
	return strings.Join([]string{r.TargetNamespace, r.TargetName, r.Namespace, r.Name, r.UID, r.Group, r.Version, r.Kind}, "\x00")
}

func expect(name string, rows []row) expectation {
	items, err := json.Marshal(rows)
	check(err)
	sum := sha256.Sum256(items)
	return expectation{Name: name, Items: string(items), Checksum: hex.EncodeToString(sum[:])}
}

// decodeObject decodes like k8s.io/apimachinery's JSON decoder: json.Number becomes int64 or float64.
func decodeObject(raw json.RawMessage) map[string]any {
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()
	var value map[string]any
	check(decoder.Decode(&value))
	return convert(value).(map[string]any)
}

func convert(value any) any {
	switch typed := value.(type) {
	case map[string]any:
		for k, v := range typed {
			typed[k] = convert(v)
		}
		return typed
	case []any:
		for i, v := range typed {
			typed[i] = convert(v)
		}
		return typed
	case json.Number:
		if i, err := typed.Int64(); err == nil {
			return i
		}
		f, err := typed.Float64()
		check(err)
		return f
	default:
		return value
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
