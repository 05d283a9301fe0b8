package harmonise

import "strings"

// The views a mapping can target: GeoSciML-Lite 4.1 (formerly GeoSciML-
// Portrayal) for map units and faults, EarthResourceML-Lite 2.0 for mineral
// occurrences. Their names are the feature type names the standards give.
const (
	ViewGeologicUnit               = "GeologicUnitView"
	ViewShearDisplacementStructure = "ShearDisplacementStructureView"
	ViewMineralOccurrence          = "MineralOccurrenceView"
)

// The harmonised field names, spelled exactly as GeoSciML-Lite and
// EarthResourceML-Lite spell them, so that a style, a filter or a WFS client
// written against those standards finds them. Styles and legends import
// these rather than repeating the strings. The _uri fields hold vocabulary
// URIs or OGC nil URIs; the others hold text, except the numeric ages (Ma).
const (
	FieldIdentifier         = "identifier"
	FieldName               = "name"
	FieldDescription        = "description"
	FieldGeologicUnitType   = "geologicUnitType"
	FieldRank               = "rank"
	FieldLithology          = "lithology"
	FieldGeologicHistory    = "geologicHistory"
	FieldNumericOlderAge    = "numericOlderAge"
	FieldNumericYoungerAge  = "numericYoungerAge"
	FieldObservationMethod  = "observationMethod"
	FieldPositionalAccuracy = "positionalAccuracy"
	FieldSource             = "source"
	FieldGenericSymbolizer  = "genericSymbolizer"

	FieldGeologicUnitTypeURI         = "geologicUnitType_uri"
	FieldRepresentativeLithologyURI  = "representativeLithology_uri"
	FieldRepresentativeAgeURI        = "representativeAge_uri"
	FieldRepresentativeOlderAgeURI   = "representativeOlderAge_uri"
	FieldRepresentativeYoungerAgeURI = "representativeYoungerAge_uri"
	FieldSpecificationURI            = "specification_uri"
	FieldMetadataURI                 = "metadata_uri"

	FieldFaultType           = "faultType"
	FieldMovementType        = "movementType"
	FieldDeformationStyle    = "deformationStyle"
	FieldDisplacement        = "displacement"
	FieldFaultTypeURI        = "faultType_uri"
	FieldMovementTypeURI     = "movementType_uri"
	FieldDeformationStyleURI = "deformationStyle_uri"

	FieldMineralOccurrenceType       = "mineralOccurrenceType"
	FieldCommodity                   = "commodity"
	FieldMineName                    = "mineName"
	FieldHostGeologicUnit            = "hostGeologicUnit"
	FieldMineralDepositModel         = "mineralDepositModel"
	FieldMineralOccurrenceShape      = "mineralOccurrenceShape"
	FieldExplorationActivityType     = "explorationActivityType"
	FieldExplorationActivityDuration = "explorationActivityDuration"
	FieldExplorationResult           = "explorationResult"
	FieldMineralOccurrenceTypeURI    = "mineralOccurrenceType_uri"
	FieldRepresentativeCommodityURI  = "representativeCommodity_uri"
	FieldMineURI                     = "mine_uri"
	FieldHostGeologicUnitURI         = "hostGeologicUnit_uri"
	FieldMineralDepositModelURI      = "mineralDepositModel_uri"
)

// SourcePrefix is put before a source field's name when the mapping writes a
// harmonised field of the same name from something else: a survey's own
// "name" column becomes "src_name" beside the harmonised "name", so that both
// survive.
const SourcePrefix = "src_"

// The kinds of a view field.
const (
	KindText = "text" // free text
	KindURI  = "uri"  // an absolute URI: a vocabulary concept or an OGC nil URI
	KindReal = "real" // a number, Ma for the numeric ages
)

// ViewField is one field of a view.
type ViewField struct {
	Name string
	// Kind is KindText, KindURI or KindReal.
	Kind string
	// Vocabulary is the ID of the embedded vocabulary (package vocab) whose
	// concepts the field holds, for _uri fields that have one. Empty for
	// free URIs (specification_uri) and for vocabularies Outcrop does not
	// carry (CGI fault movement type, deformation style): those are
	// checked only as absolute URIs.
	Vocabulary string
	// Required marks the _uri fields the standard makes mandatory: a
	// mapping that leaves one out gets NilMissing on every feature.
	Required bool
	// Mandatory marks the fields the standard's schema requires in every
	// feature (minOccurs 1): identifier, the mandatory _uri fields and, in
	// EarthResourceML-Lite, mineralOccurrenceType and commodity. A WFS
	// writes them in every feature, with a nil URI where there is no value.
	Mandatory bool
}

// Type returns the field's tileset.Field type.
func (f ViewField) Type() string {
	if f.Kind == KindReal {
		return "real"
	}
	return "string"
}

// View is a GeoSciML-Lite or EarthResourceML-Lite feature type.
type View struct {
	Name string
	// Standard names the specification the view comes from.
	Standard string
	// Fields are in the standard's order.
	Fields []ViewField
}

// Field returns the view's field of the given name.
func (v *View) Field(name string) (ViewField, bool) {
	for _, f := range v.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return ViewField{}, false
}

func textField(name string) ViewField { return ViewField{Name: name, Kind: KindText} }
func realField(name string) ViewField { return ViewField{Name: name, Kind: KindReal} }
func uriField(name, vocabulary string, required bool) ViewField {
	return ViewField{Name: name, Kind: KindURI, Vocabulary: vocabulary, Required: required, Mandatory: required}
}

// mandatory is f marked Mandatory.
func mandatory(f ViewField) ViewField {
	f.Mandatory = true
	return f
}

// optional is f not marked Mandatory: GeoSciML-Lite's specification_uri,
// which Outcrop fills like a required field though the schema makes it
// optional.
func optional(f ViewField) ViewField {
	f.Mandatory = false
	return f
}

// ageFields are the chart-age fields every view shares.
func ageFields(required bool) []ViewField {
	return []ViewField{
		uriField(FieldRepresentativeAgeURI, "ics", required),
		uriField(FieldRepresentativeOlderAgeURI, "ics", required),
		uriField(FieldRepresentativeYoungerAgeURI, "ics", required),
	}
}

var views = []*View{
	{
		Name:     ViewGeologicUnit,
		Standard: "OGC GeoSciML 4.1, GeoSciML-Lite (16-008)",
		Fields: append(append([]ViewField{
			mandatory(textField(FieldIdentifier)), textField(FieldName), textField(FieldDescription),
			textField(FieldGeologicUnitType), textField(FieldRank), textField(FieldLithology),
			textField(FieldGeologicHistory), realField(FieldNumericOlderAge), realField(FieldNumericYoungerAge),
			textField(FieldObservationMethod), textField(FieldPositionalAccuracy), textField(FieldSource),
			uriField(FieldGeologicUnitTypeURI, "geologic-unit-type", true),
			uriField(FieldRepresentativeLithologyURI, "lithology", true),
		}, ageFields(true)...),
			optional(uriField(FieldSpecificationURI, "", true)), uriField(FieldMetadataURI, "", false),
			textField(FieldGenericSymbolizer)),
	},
	{
		Name:     ViewShearDisplacementStructure,
		Standard: "OGC GeoSciML 4.1, GeoSciML-Lite (16-008)",
		Fields: append(append([]ViewField{
			mandatory(textField(FieldIdentifier)), textField(FieldName), textField(FieldDescription),
			textField(FieldFaultType), textField(FieldMovementType), textField(FieldDeformationStyle),
			textField(FieldDisplacement), textField(FieldGeologicHistory),
			textField(FieldObservationMethod), textField(FieldPositionalAccuracy), textField(FieldSource),
			uriField(FieldFaultTypeURI, "fault-type", true),
			uriField(FieldMovementTypeURI, "", true),
			uriField(FieldDeformationStyleURI, "", true),
		}, ageFields(true)...),
			realField(FieldNumericOlderAge), realField(FieldNumericYoungerAge),
			optional(uriField(FieldSpecificationURI, "", true)), uriField(FieldMetadataURI, "", false),
			textField(FieldGenericSymbolizer)),
	},
	{
		Name:     ViewMineralOccurrence,
		Standard: "CGI EarthResourceML-Lite 2.0",
		Fields: append([]ViewField{
			mandatory(textField(FieldIdentifier)), textField(FieldName),
			mandatory(textField(FieldMineralOccurrenceType)), mandatory(textField(FieldCommodity)), textField(FieldMineName),
			textField(FieldGeologicHistory), textField(FieldHostGeologicUnit), textField(FieldMineralDepositModel),
			textField(FieldMineralOccurrenceShape), textField(FieldExplorationActivityType),
			textField(FieldExplorationActivityDuration), textField(FieldExplorationResult),
			textField(FieldObservationMethod), textField(FieldPositionalAccuracy), textField(FieldSource),
			uriField(FieldMineralOccurrenceTypeURI, "mineral-occurrence-type", true),
			uriField(FieldRepresentativeCommodityURI, "commodity", true),
			uriField(FieldMineURI, "", false), uriField(FieldHostGeologicUnitURI, "", false),
			uriField(FieldMineralDepositModelURI, "", false),
		}, append(ageFields(false), uriField(FieldSpecificationURI, "", false))...),
	},
}

// Views returns the views a mapping can target. They are shared: do not
// modify them.
func Views() []*View { return append([]*View(nil), views...) }

// ViewByName returns the view with the given name ("GeologicUnitView").
func ViewByName(name string) (*View, bool) {
	for _, v := range views {
		if v.Name == name {
			return v, true
		}
	}
	return nil, false
}

func viewNames() string {
	names := make([]string, len(views))
	for i, v := range views {
		names[i] = v.Name
	}
	return strings.Join(names, ", ")
}
