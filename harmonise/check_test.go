package harmonise

import (
	"strings"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

func TestCheckNamesTheLineOfAMissingSourceField(t *testing.T) {
	m := parse(t, `
		view: GeologicUnitView
		fields:
		  name: unitname
		  description: {template: "{unitname}: {descripton}"}
		  representativeLithology_uri:
		    from: [lithname1, rocktype]
		    by_label: true
	`)
	fields := []tileset.Field{{Name: "unitname"}, {Name: "description"}, {Name: "lithname1"}, {Name: "rocktype1"}}
	err := m.Check(fields)
	if err == nil {
		t.Fatal("Check passed a mapping naming fields the source lacks")
	}
	want := `test.yaml:4: description: the source has no field "descripton"; did you mean description? (and 1 more)`
	if err.Error() != want {
		t.Errorf("Check:\n got %s\nwant %s", err, want)
	}
	// Fixed, the next one shows, on its own line of the file.
	m = parse(t, `
		view: GeologicUnitView
		fields:
		  name: unitname
		  representativeLithology_uri:
		    from: [lithname1, rocktype]
		    by_label: true
	`)
	err = m.Check(fields)
	if err == nil || err.Error() != `test.yaml:5: representativeLithology_uri: the source has no field "rocktype"; did you mean rocktype1?` {
		t.Errorf("Check: %v", err)
	}
	if err := m.Check(append(fields, tileset.Field{Name: "rocktype"})); err != nil {
		t.Errorf("Check of a matching source: %v", err)
	}
}

func TestCheckListsTheSourceFieldsWhenNothingIsClose(t *testing.T) {
	m := parse(t, `
		view: MineralOccurrenceView
		fields:
		  name: {from: deposit_name}
	`)
	err := m.Check([]tileset.Field{{Name: "NameDeposit"}, {Name: "Country"}})
	if err == nil || !strings.HasSuffix(err.Error(), `the source has no field "deposit_name"; it has Country, NameDeposit; fix the name in the mapping`) {
		t.Errorf("Check: %v", err)
	}
}

func TestCheckRefusesATakenSourceName(t *testing.T) {
	m := parse(t, `
		view: GeologicUnitView
		fields:
		  name: unitname
	`)
	err := m.Check([]tileset.Field{{Name: "unitname"}, {Name: "name"}, {Name: "src_name"}})
	if err == nil || !strings.HasPrefix(err.Error(), "test.yaml:3: the source has both name and src_name") {
		t.Errorf("Check: %v", err)
	}
	// specification_uri is left out, so written as nil over the source's.
	err = m.Check([]tileset.Field{{Name: "unitname"}, {Name: "specification_uri"}, {Name: "src_specification_uri"}})
	if err == nil || !strings.HasPrefix(err.Error(), "test.yaml:2: the source has both specification_uri and src_specification_uri") {
		t.Errorf("Check: %v", err)
	}
	if err := m.Check([]tileset.Field{{Name: "unitname"}, {Name: "name"}}); err != nil {
		t.Errorf("Check: %v", err)
	}
}

func TestSchemaPutsHarmonisedFieldsFirstAndRenamesMovedOnes(t *testing.T) {
	m := parse(t, `
		view: MineralOccurrenceView
		fields:
		  name: name
		  commodity: commodities
		  representativeCommodity_uri: {from: commodity, by_notation: true}
	`)
	src := []tileset.Field{{Name: "name", Type: "string"}, {Name: "commodity", Type: "string"}, {Name: "commodities", Type: "string"}, {Name: "tonnes", Type: "real"}}
	var got []string
	for _, f := range m.Schema(src) {
		got = append(got, f.Name+":"+f.Type)
	}
	want := "name:string commodity:string mineralOccurrenceType_uri:string representativeCommodity_uri:string " +
		"src_commodity:string commodities:string tonnes:real"
	if strings.Join(got, " ") != want {
		t.Errorf("Schema:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}
