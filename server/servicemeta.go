package server

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// ServiceMetadata describes the service provider in the capabilities of
// the OGC services (WMS, WFS, WMTS), as OneGeology and INSPIRE catalogues harvest it.
// Every field is optional; an empty one is left out or takes the default.
type ServiceMetadata struct {
	// Title and Abstract name and describe the service.
	Title    string `yaml:"title"`
	Abstract string `yaml:"abstract"`
	// Keywords are added to the service's own.
	Keywords []string `yaml:"keywords"`
	// Organization is the data owner (OneGeology's required contact);
	// Person, Position, Email and Phone reach someone there.
	Organization string `yaml:"organization"`
	Person       string `yaml:"person"`
	Position     string `yaml:"position"`
	Email        string `yaml:"email"`
	Phone        string `yaml:"phone"`
	// ServiceProvider is the organisation serving the data, OneGeology's
	// serviceprovider@; empty when that is Organization itself (a buddy
	// serving a survey's data gives its own name here).
	ServiceProvider string `yaml:"service_provider"`
	// OnlineResource is the organisation's web site.
	OnlineResource string `yaml:"online_resource"`
	// Fees and AccessConstraints default to "none".
	Fees              string `yaml:"fees"`
	AccessConstraints string `yaml:"access_constraints"`
}

// LoadServiceMetadata reads a service metadata file (YAML, the fields of
// ServiceMetadata); an unknown field is an error naming it.
func LoadServiceMetadata(path string) (*ServiceMetadata, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m ServiceMetadata
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %v; the fields are title, abstract, keywords, organization, service_provider, person, position, email, phone, online_resource, fees, access_constraints", path, err)
	}
	return &m, nil
}

// owsService writes the OWS 1.1 ServiceIdentification of a service of
// type serviceType and version from the metadata, with abstract as the
// default abstract and OneGeology's service keywords (OneGeology,
// MD_LANG@ENG); then the ServiceProvider, which OneGeology requires for a
// WFS (ProviderName the data owner), when the metadata names an
// organization or a person. The WMTS capabilities have the same.
func (m ServiceMetadata) owsService(serviceType, version, abstract string) string {
	var b strings.Builder
	el := func(indent, name, value string) {
		if value != "" {
			b.WriteString(indent + "<ows:" + name + ">" + esc(value) + "</ows:" + name + ">\n")
		}
	}
	b.WriteString("  <ows:ServiceIdentification>\n")
	el("    ", "Title", cmp.Or(m.Title, "Outcrop"))
	el("    ", "Abstract", cmp.Or(m.Abstract, abstract))
	b.WriteString("    <ows:Keywords>")
	for _, k := range append([]string{"OneGeology", "MD_LANG@ENG"}, m.Keywords...) {
		b.WriteString("<ows:Keyword>" + esc(k) + "</ows:Keyword>")
	}
	b.WriteString("</ows:Keywords>\n")
	el("    ", "ServiceType", serviceType)
	el("    ", "ServiceTypeVersion", version)
	el("    ", "Fees", cmp.Or(m.Fees, "none"))
	el("    ", "AccessConstraints", cmp.Or(m.AccessConstraints, "none"))
	b.WriteString("  </ows:ServiceIdentification>\n")
	if m.Organization == "" && m.Person == "" {
		return b.String()
	}
	b.WriteString("  <ows:ServiceProvider>\n")
	el("    ", "ProviderName", cmp.Or(m.Organization, m.Person))
	if m.OnlineResource != "" {
		b.WriteString(`    <ows:ProviderSite xlink:href="` + esc(m.OnlineResource) + `"/>` + "\n")
	}
	b.WriteString("    <ows:ServiceContact>\n")
	el("      ", "IndividualName", m.Person)
	el("      ", "PositionName", m.Position)
	if m.Phone != "" || m.Email != "" {
		b.WriteString("      <ows:ContactInfo>")
		if m.Phone != "" {
			b.WriteString("<ows:Phone><ows:Voice>" + esc(m.Phone) + "</ows:Voice></ows:Phone>")
		}
		if m.Email != "" {
			b.WriteString("<ows:Address><ows:ElectronicMailAddress>" + esc(m.Email) + "</ows:ElectronicMailAddress></ows:Address>")
		}
		b.WriteString("</ows:ContactInfo>\n")
	}
	b.WriteString("    </ows:ServiceContact>\n  </ows:ServiceProvider>\n")
	return b.String()
}
