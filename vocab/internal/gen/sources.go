package main

// source names one Turtle file and what the Turtle does not say uniformly
// about it: the id Outcrop uses and the licence and attribution owed to its
// publisher (from shared/data/README.md; the CGI files carry no licence).
type source struct {
	ID          string
	File        string
	Scheme      string // the skos:ConceptScheme IRI that the file describes
	Title       string // used only when the scheme has no English prefLabel
	Licence     string // SPDX identifier
	LicenceURL  string
	Attribution string
}

const (
	ccBy4    = "CC-BY-4.0"
	ccBy4URL = "https://creativecommons.org/licenses/by/4.0/"
	cgiAttr  = "© IUGS Commission for the Management and Application of Geoscience Information (CGI), CC BY 4.0; GeoscienceAustralia/cgi-vocabs commit 8c732a1 (2025-10-15)"
)

// sources is in the order vocab.All returns the vocabularies.
var sources = []source{
	{
		ID: "ics", File: "ics-chart-2024-12.ttl",
		Scheme:  "http://resource.geosciml.org/classifier/ics/ischart",
		Title:   "International Chronostratigraphic Chart",
		Licence: ccBy4, LicenceURL: ccBy4URL,
		Attribution: "© International Commission on Stratigraphy, International Chronostratigraphic Chart v2024-12, CC BY 4.0; i-c-stratigraphy/chart commit d4d0e3d (2026-04-13)",
	},
	{
		ID: "lithology", File: "cgi-simplelithology.ttl",
		Scheme:  "http://resource.geosciml.org/classifierscheme/cgi/2016.01/simplelithology",
		Licence: ccBy4, LicenceURL: ccBy4URL, Attribution: cgiAttr,
	},
	{
		ID: "geologic-unit-type", File: "cgi-geologic-unit-type.ttl",
		Scheme:  "http://resource.geosciml.org/classifierscheme/cgi/2016.01/geologicunittype",
		Licence: ccBy4, LicenceURL: ccBy4URL, Attribution: cgiAttr,
	},
	{
		ID: "contact-type", File: "cgi-contacttype.ttl",
		Scheme:  "http://resource.geosciml.org/classifierscheme/cgi/2016.01/contacttype",
		Licence: ccBy4, LicenceURL: ccBy4URL, Attribution: cgiAttr,
	},
	{
		ID: "fault-type", File: "cgi-faulttype.ttl",
		Scheme:  "http://resource.geosciml.org/classifierscheme/cgi/2016.01/faulttype",
		Licence: ccBy4, LicenceURL: ccBy4URL, Attribution: cgiAttr,
	},
	{
		ID: "commodity", File: "cgi-commodity-code.ttl",
		Scheme:  "http://resource.geosciml.org/classifierscheme/cgi/2016.01/commodity-code",
		Licence: ccBy4, LicenceURL: ccBy4URL, Attribution: cgiAttr,
	},
	{
		ID: "mineral-occurrence-type", File: "cgi-mineral-occurrence-type.ttl",
		Scheme:  "http://resource.geosciml.org/classifierscheme/cgi/2016.01/mineral-occurrence-type",
		Licence: ccBy4, LicenceURL: ccBy4URL, Attribution: cgiAttr,
	},
}
