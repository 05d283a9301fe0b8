package ingest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/outcrop/outcrop/ingest/gdal"
)

// subdatasets lists a container's subdatasets (netCDF variables, HDF
// datasets): the GDAL name each opens by, and the short name a user gives
// --subdataset (the variable's name, e.g. "temp" of NETCDF:"f.nc":temp).
func subdatasets(ds *gdal.Dataset) (paths, names []string) {
	items := map[string]string{}
	for _, kv := range ds.MetadataDomain("SUBDATASETS") {
		k, v, _ := strings.Cut(kv, "=")
		items[k] = v
	}
	for i := 1; ; i++ {
		p := items[fmt.Sprintf("SUBDATASET_%d_NAME", i)]
		if p == "" {
			return paths, names
		}
		n := p
		if k := strings.LastIndex(p, ":"); k >= 0 {
			n = strings.Trim(p[k+1:], `"/`)
		}
		paths, names = append(paths, p), append(names, n)
	}
}

// openSubdataset opens the raster at p (file as the user named it) and,
// when it is a container of several grids, the one --subdataset (choice)
// names, by variable name or number from 1. A container with no band of
// its own and no choice is refused with the list of its subdatasets; a
// choice in a file without subdatasets is refused too.
func openSubdataset(file, p, choice string, opts ...gdal.OpenOption) (*gdal.Dataset, error) {
	ds, err := gdal.Open(p, opts...)
	if err != nil {
		return nil, fileErr(file, "GDAL cannot open it as a raster (%v); give a GeoTIFF, netCDF, .grd or another raster GDAL reads", err)
	}
	paths, names := subdatasets(ds)
	switch {
	case choice == "" && (len(paths) == 0 || ds.Structure().NBands > 0):
		return ds, nil
	case choice == "":
		ds.Close()
		return nil, fileErr(file, "holds %d grids (subdatasets: %s); choose one with --subdataset NAME or --subdataset N (from 1)", len(names), strings.Join(names, ", "))
	case len(paths) == 0:
		ds.Close()
		return nil, flagErr("--subdataset", "%s has no subdatasets, it is one grid; leave --subdataset out", file)
	}
	ds.Close()
	pick := -1
	if n, err := strconv.Atoi(choice); err == nil && n >= 1 && n <= len(paths) {
		pick = n - 1
	}
	for i, n := range names {
		if pick < 0 && (n == choice || paths[i] == choice) {
			pick = i
		}
	}
	if pick < 0 {
		return nil, flagErr("--subdataset", "%q is not a subdataset of %s; give one of %s, or a number from 1 to %d", choice, file, strings.Join(names, ", "), len(names))
	}
	sub, err := gdal.Open(paths[pick], opts...)
	if err != nil {
		return nil, fileErr(file, "GDAL cannot open its subdataset %s (%v)", names[pick], err)
	}
	return sub, nil
}
