// Error-capturing wrappers around the GDAL C API for package gdal.
//
// GDAL reports problems through CPLError, whose handler stack is per thread.
// Every wrapper pushes a handler that records the messages into the caller's
// gdErrs, calls GDAL and pops the handler, all within one C call, so the
// messages cannot leak to another goroutine's call or to stderr.
#ifndef OUTCROP_GDAL_BINDING_H
#define OUTCROP_GDAL_BINDING_H

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal_utils.h>

typedef struct {
	int level;  // CPLErr
	int code;   // CPLErrorNum
	char *msg;  // malloc'd
} gdMsg;

typedef struct {
	gdMsg *msgs;
	int n;
	int cap;
	int dropped; // messages beyond the cap, counted, not stored
} gdErrs;

void gdInit(void);
void gdErrsFree(gdErrs *e);

GDALDatasetH gdOpen(gdErrs *e, const char *name, unsigned int flags, char **drivers, char **options);
void gdClose(gdErrs *e, GDALDatasetH ds);
const char *gdIdentifyDriver(gdErrs *e, const char *name, unsigned int flags);
char **gdReadDirRecursive(gdErrs *e, const char *path);
int gdPathExists(const char *path);

GIntBig gdLayerFeatureCount(gdErrs *e, OGRLayerH layer);
OGRFeatureH gdLayerNextFeature(gdErrs *e, OGRLayerH layer);

OGRSpatialReferenceH gdSRSFromUserInput(gdErrs *e, const char *input);
OGRSpatialReferenceH gdSRSFromWKT(gdErrs *e, const char *wkt);
OGRSpatialReferenceH gdSRSFromEPSG(gdErrs *e, int code);
OGRSpatialReferenceH gdSRSClone(gdErrs *e, OGRSpatialReferenceH srs);
char *gdSRSToWKT(gdErrs *e, OGRSpatialReferenceH srs);
int gdSRSAutoIdentifyEPSG(gdErrs *e, OGRSpatialReferenceH srs);
int gdSRSAreaOfUse(gdErrs *e, OGRSpatialReferenceH srs, double *west, double *south, double *east, double *north, char **name);
OGRCoordinateTransformationH gdNewTransform(gdErrs *e, OGRSpatialReferenceH src, OGRSpatialReferenceH dst);
int gdTransformEx(gdErrs *e, OGRCoordinateTransformationH ct, int n, double *x, double *y, double *z, int *ok);

int gdGeometryIsValid(gdErrs *e, OGRGeometryH g);
OGRGeometryH gdGeometryMakeValid(gdErrs *e, OGRGeometryH g, char **options);
OGRGeometryH gdGeometryLinear(gdErrs *e, OGRGeometryH g);
OGRGeometryH gdGeometryForceToMultiPolygon(gdErrs *e, OGRGeometryH g);
int gdGeometryTransform(gdErrs *e, OGRGeometryH g, OGRCoordinateTransformationH ct);
int gdGeometryWKB(gdErrs *e, OGRGeometryH g, unsigned char *buf);
OGRGeometryH gdGeometryFromWKB(gdErrs *e, const unsigned char *buf, size_t n);
OGRGeometryH gdGeometrySetPrecision(gdErrs *e, OGRGeometryH g, double grid);

GDALDatasetH gdWarp(gdErrs *e, const char *dst, GDALDatasetH src, char **switches);
int gdDatasetReadFloat32(gdErrs *e, GDALDatasetH ds, int x, int y, int w, int h, float *buf, int bands, int *bandMap);
GDALDatasetH gdTranslate(gdErrs *e, const char *dst, GDALDatasetH src, char **switches);
unsigned char *gdTakeMemFile(const char *name, unsigned long long *len);
int gdDatasetReadByte(gdErrs *e, GDALDatasetH ds, int x, int y, int w, int h, unsigned char *buf, int bands, int *bandMap);

#endif
