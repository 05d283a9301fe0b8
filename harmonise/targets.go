package harmonise

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/outcrop/outcrop/vocab"
)

// target reads a value-map target, default or constant for the spec's field.
func (p *parser) target(s *spec, val string, line int) (target, error) {
	val = strings.TrimSpace(val)
	if val == "" {
		return target{blank: true}, nil
	}
	f := s.field
	switch f.Kind {
	case KindText:
		return target{text: val}, nil
	case KindReal:
		x, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return target{}, p.errf(line, "%s is numeric; %q is not a number", f.Name, val)
		}
		return target{num: x}, nil
	}
	if u, ok := nilShorthand(val); ok {
		return target{text: u}, nil
	}
	if strings.HasPrefix(val, "nil:") {
		return target{}, p.errf(line, "%s: %q is not an OGC nil reason; use nil:missing, nil:unknown, nil:inapplicable, nil:withheld or nil:template", f.Name, val)
	}
	if isAbsoluteURI(val) {
		if IsNil(val) || s.vocab == nil {
			return target{text: val}, nil
		}
		if c, ok := vocab.Lookup(val); ok && c.Vocabulary == s.vocab.ID {
			return target{text: c.URI}, nil
		}
		local := val[strings.LastIndexAny(val, "/#")+1:]
		return target{}, p.errf(line, "%s: <%s> is not in the %s vocabulary (%s); %s", f.Name, val, s.vocab.ID, s.vocab.Title, suggestConcept(s.vocab, local))
	}
	if s.vocab == nil {
		return target{}, p.errf(line, "%s: %q is not an absolute URI; %s has no embedded vocabulary, so write the full URI (http://…)", f.Name, val, f.Name)
	}
	if c, ok := vocab.Lookup(namespace(s.vocab) + val); ok {
		return target{text: c.URI}, nil
	}
	return target{}, p.errf(line, "%s: %q is not a concept of the %s vocabulary (%s); %s", f.Name, val, s.vocab.ID, s.vocab.Title, suggestConcept(s.vocab, val))
}

// isAbsoluteURI accepts what a _uri field may hold: a URI with a scheme and,
// for http(s), a host.
func isAbsoluteURI(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || strings.ContainsAny(s, " \t\n") {
		return false
	}
	if u.Scheme == "http" || u.Scheme == "https" {
		return u.Host != ""
	}
	return u.Opaque != "" || u.Path != ""
}

// namespace is the common stem of a vocabulary's concept URIs, to which a
// mapping's short names ("basalt", "Permian") are appended.
func namespace(v *vocab.Vocabulary) string {
	if len(v.Concepts) == 0 {
		return ""
	}
	ns := v.Concepts[0].URI
	for _, c := range v.Concepts[1:] {
		for !strings.HasPrefix(c.URI, ns) {
			ns = ns[:len(ns)-1]
		}
	}
	return ns[:strings.LastIndexAny(ns, "/#")+1]
}

func vocabIDs() string {
	var ids []string
	for _, v := range vocab.All() {
		ids = append(ids, v.ID)
	}
	return strings.Join(ids, ", ")
}

func noVocabFix(f ViewField) string {
	if f.Kind != KindURI {
		return "use values: for text fields"
	}
	return "Outcrop carries no vocabulary for " + f.Name + ": map values to full URIs, or set vocabulary:"
}

func rankNamed(s string) (vocab.Rank, bool) {
	for _, r := range ranks {
		if strings.EqualFold(strings.ReplaceAll(string(r), "-", ""), strings.ReplaceAll(s, "-", "")) {
			return r, true
		}
	}
	return "", false
}

var ranks = []vocab.Rank{vocab.RankSuperEon, vocab.RankEon, vocab.RankEra, vocab.RankPeriod, vocab.RankSubPeriod, vocab.RankEpoch, vocab.RankAge}

func rankNames() string {
	names := make([]string, len(ranks))
	for i, r := range ranks {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
