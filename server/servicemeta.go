package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"gopkg.in/yaml.v3"
)

// ServiceMetadata describes the service provider in the capabilities of
// the OGC services (WMS), as OneGeology and INSPIRE catalogues harvest it.
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
