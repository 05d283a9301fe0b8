// VSIStatBufL is struct stat64, declared only with large-file support.
#define _LARGEFILE64_SOURCE 1

#include "binding.h"

#include <geos_c.h>
#include <stdlib.h>
#include <string.h>

// gdMaxMsgs bounds the messages kept per call: a driver that warns once per
// row must not grow memory without limit.
#define gdMaxMsgs 64

static void gdHandler(CPLErr level, CPLErrorNum code, const char *msg) {
	gdErrs *e = (gdErrs *)CPLGetErrorHandlerUserData();
	if (e == NULL || level < CE_Warning) {
		return; // debug messages are never reported
	}
	if (e->n >= gdMaxMsgs) {
		e->dropped++;
		return;
	}
	if (e->n == e->cap) {
		int cap = e->cap == 0 ? 4 : e->cap * 2;
		gdMsg *m = (gdMsg *)realloc(e->msgs, cap * sizeof(gdMsg));
		if (m == NULL) {
			e->dropped++;
			return;
		}
		e->msgs = m;
		e->cap = cap;
	}
	e->msgs[e->n].level = (int)level;
	e->msgs[e->n].code = (int)code;
	e->msgs[e->n].msg = strdup(msg == NULL ? "" : msg);
	e->n++;
}

#define WRAP(e) CPLPushErrorHandlerEx(gdHandler, (void *)(e))
#define UNWRAP() CPLPopErrorHandler()

// failIfSilent records a generic failure when GDAL failed without a message,
// so that no failure reaches Go without an error.
static void failIfSilent(gdErrs *e, const char *what) {
	for (int i = 0; i < e->n; i++) {
		if (e->msgs[i].level >= CE_Failure) {
			return;
		}
	}
	CPLError(CE_Failure, CPLE_AppDefined, "%s failed", what);
}

void gdInit(void) {
	// Outside a wrapped call GDAL must stay silent: the default handler would
	// print to stderr behind the caller's back.
	CPLSetErrorHandler(CPLQuietErrorHandler);
	GDALAllRegister();
}

void gdErrsFree(gdErrs *e) {
	for (int i = 0; i < e->n; i++) {
		free(e->msgs[i].msg);
	}
	free(e->msgs);
	e->msgs = NULL;
	e->n = e->cap = e->dropped = 0;
}

GDALDatasetH gdOpen(gdErrs *e, const char *name, unsigned int flags, char **drivers, char **options) {
	WRAP(e);
	GDALDatasetH ds = GDALOpenEx(name, flags, (const char *const *)drivers, (const char *const *)options, NULL);
	if (ds == NULL) {
		failIfSilent(e, "open");
	}
	UNWRAP();
	return ds;
}

void gdClose(gdErrs *e, GDALDatasetH ds) {
	WRAP(e);
	GDALClose(ds);
	UNWRAP();
}

const char *gdIdentifyDriver(gdErrs *e, const char *name, unsigned int flags) {
	WRAP(e);
	GDALDriverH drv = GDALIdentifyDriverEx(name, flags, NULL, NULL);
	UNWRAP();
	return drv == NULL ? NULL : GDALGetDriverShortName(drv);
}

char **gdReadDirRecursive(gdErrs *e, const char *path) {
	WRAP(e);
	char **list = VSIReadDirRecursive(path);
	UNWRAP();
	return list;
}

int gdPathExists(const char *path) {
	VSIStatBufL st;
	return VSIStatExL(path, &st, VSI_STAT_EXISTS_FLAG) == 0;
}

GIntBig gdLayerFeatureCount(gdErrs *e, OGRLayerH layer) {
	WRAP(e);
	GIntBig n = OGR_L_GetFeatureCount(layer, TRUE);
	if (n < 0) {
		failIfSilent(e, "feature count");
	}
	UNWRAP();
	return n;
}

OGRFeatureH gdLayerNextFeature(gdErrs *e, OGRLayerH layer) {
	WRAP(e);
	OGRFeatureH f = OGR_L_GetNextFeature(layer);
	UNWRAP();
	return f;
}

// traditional makes coordinates x=longitude, y=latitude whatever the CRS's
// official axis order, as every GIS file format stores them.
static OGRSpatialReferenceH traditional(OGRSpatialReferenceH srs) {
	if (srs != NULL) {
		OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
	}
	return srs;
}

OGRSpatialReferenceH gdSRSFromUserInput(gdErrs *e, const char *input) {
	WRAP(e);
	OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
	if (OSRSetFromUserInput(srs, input) != OGRERR_NONE) {
		failIfSilent(e, "CRS definition");
		OSRDestroySpatialReference(srs);
		srs = NULL;
	}
	UNWRAP();
	return traditional(srs);
}

OGRSpatialReferenceH gdSRSFromWKT(gdErrs *e, const char *wkt) {
	WRAP(e);
	OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
	if (OSRSetFromUserInput(srs, wkt) != OGRERR_NONE) {
		failIfSilent(e, "WKT CRS definition");
		OSRDestroySpatialReference(srs);
		srs = NULL;
	}
	UNWRAP();
	return traditional(srs);
}

OGRSpatialReferenceH gdSRSFromEPSG(gdErrs *e, int code) {
	WRAP(e);
	OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
	if (OSRImportFromEPSG(srs, code) != OGRERR_NONE) {
		failIfSilent(e, "EPSG CRS lookup");
		OSRDestroySpatialReference(srs);
		srs = NULL;
	}
	UNWRAP();
	return traditional(srs);
}

OGRSpatialReferenceH gdSRSClone(gdErrs *e, OGRSpatialReferenceH srs) {
	WRAP(e);
	OGRSpatialReferenceH c = OSRClone(srs);
	UNWRAP();
	return traditional(c);
}

char *gdSRSToWKT(gdErrs *e, OGRSpatialReferenceH srs) {
	WRAP(e);
	char *wkt = NULL;
	if (OSRExportToWkt(srs, &wkt) != OGRERR_NONE) {
		failIfSilent(e, "WKT export");
		CPLFree(wkt);
		wkt = NULL;
	}
	UNWRAP();
	return wkt;
}

int gdSRSAutoIdentifyEPSG(gdErrs *e, OGRSpatialReferenceH srs) {
	WRAP(e);
	OGRErr err = OSRAutoIdentifyEPSG(srs);
	UNWRAP();
	return err == OGRERR_NONE;
}

OGRCoordinateTransformationH gdNewTransform(gdErrs *e, OGRSpatialReferenceH src, OGRSpatialReferenceH dst) {
	WRAP(e);
	// A ballpark transformation between different datums is a null datum
	// shift, off by up to hundreds of metres: refuse it rather than place
	// the data wrongly without a word.
	OGRCoordinateTransformationOptionsH opts = OCTNewCoordinateTransformationOptions();
	OCTCoordinateTransformationOptionsSetBallparkAllowed(opts, FALSE);
	OGRCoordinateTransformationH ct = OCTNewCoordinateTransformationEx(src, dst, opts);
	OCTDestroyCoordinateTransformationOptions(opts);
	if (ct == NULL) {
		failIfSilent(e, "coordinate transformation");
	}
	UNWRAP();
	return ct;
}

int gdTransformEx(gdErrs *e, OGRCoordinateTransformationH ct, int n, double *x, double *y, double *z, int *ok) {
	WRAP(e);
	int all = OCTTransformEx(ct, n, x, y, z, ok);
	UNWRAP();
	return all;
}

int gdGeometryIsValid(gdErrs *e, OGRGeometryH g) {
	WRAP(e);
	int ok = OGR_G_IsValid(g);
	UNWRAP();
	return ok;
}

OGRGeometryH gdGeometryMakeValid(gdErrs *e, OGRGeometryH g, char **options) {
	WRAP(e);
	OGRGeometryH v = OGR_G_MakeValidEx(g, (CSLConstList)options);
	if (v == NULL) {
		failIfSilent(e, "make valid");
	}
	UNWRAP();
	return v;
}

OGRGeometryH gdGeometryLinear(gdErrs *e, OGRGeometryH g) {
	WRAP(e);
	OGRGeometryH l = OGR_G_GetLinearGeometry(g, 0, NULL);
	if (l == NULL) {
		failIfSilent(e, "curve linearisation");
	}
	UNWRAP();
	return l;
}

OGRGeometryH gdGeometryForceToMultiPolygon(gdErrs *e, OGRGeometryH g) {
	WRAP(e);
	OGRGeometryH m = OGR_G_ForceToMultiPolygon(g);
	UNWRAP();
	return m;
}

int gdGeometryTransform(gdErrs *e, OGRGeometryH g, OGRCoordinateTransformationH ct) {
	WRAP(e);
	OGRErr err = OGR_G_Transform(g, ct);
	if (err != OGRERR_NONE) {
		failIfSilent(e, "coordinate transformation");
	}
	UNWRAP();
	return err == OGRERR_NONE;
}

int gdGeometryWKB(gdErrs *e, OGRGeometryH g, unsigned char *buf) {
	WRAP(e);
	OGRErr err = OGR_G_ExportToIsoWkb(g, wkbNDR, buf);
	if (err != OGRERR_NONE) {
		failIfSilent(e, "WKB export");
	}
	UNWRAP();
	return err == OGRERR_NONE;
}

OGRGeometryH gdGeometryFromWKB(gdErrs *e, const unsigned char *buf, size_t n) {
	WRAP(e);
	OGRGeometryH g = NULL;
	if (OGR_G_CreateFromWkbEx(buf, NULL, &g, n) != OGRERR_NONE) {
		failIfSilent(e, "WKB import");
		if (g != NULL) {
			OGR_G_DestroyGeometry(g);
			g = NULL;
		}
	}
	UNWRAP();
	return g;
}

// gdGEOSError passes a GEOS error on as a CPLError, which the wrapped call's
// handler records.
static void gdGEOSError(const char *msg, void *userdata) {
	(void)userdata;
	CPLError(CE_Failure, CPLE_AppDefined, "GEOS: %s", msg);
}

// gdGeometrySetPrecision is GDAL 3.9's OGR_G_SetPrecision for older GDALs:
// the geometry goes to GEOS as WKB, is snap-rounded to the grid by
// GEOSGeom_setPrecision (whose output is valid; collapsed parts are
// removed) and comes back as WKB.
OGRGeometryH gdGeometrySetPrecision(gdErrs *e, OGRGeometryH g, double grid) {
	WRAP(e);
	OGRGeometryH out = NULL;
	GEOSContextHandle_t ctx = GEOS_init_r();
	GEOSContext_setErrorMessageHandler_r(ctx, gdGEOSError, NULL);
	GEOSWKBReader *reader = GEOSWKBReader_create_r(ctx);
	GEOSWKBWriter *writer = GEOSWKBWriter_create_r(ctx);
	GEOSWKBWriter_setByteOrder_r(ctx, writer, GEOS_WKB_NDR);
	size_t n = (size_t)OGR_G_WkbSize(g);
	unsigned char *wkb = (unsigned char *)malloc(n);
	GEOSGeometry *in = NULL, *reduced = NULL;
	unsigned char *res = NULL;
	size_t resN = 0;
	if (wkb != NULL && OGR_G_ExportToIsoWkb(g, wkbNDR, wkb) == OGRERR_NONE &&
		(in = GEOSWKBReader_read_r(ctx, reader, wkb, n)) != NULL &&
		(reduced = GEOSGeom_setPrecision_r(ctx, in, grid, GEOS_PREC_VALID_OUTPUT)) != NULL &&
		(res = GEOSWKBWriter_write_r(ctx, writer, reduced, &resN)) != NULL &&
		OGR_G_CreateFromWkbEx(res, NULL, &out, resN) != OGRERR_NONE) {
		if (out != NULL) {
			OGR_G_DestroyGeometry(out);
			out = NULL;
		}
	}
	if (out == NULL) {
		failIfSilent(e, "precision reduction");
	}
	if (res != NULL) {
		GEOSFree_r(ctx, res);
	}
	if (reduced != NULL) {
		GEOSGeom_destroy_r(ctx, reduced);
	}
	if (in != NULL) {
		GEOSGeom_destroy_r(ctx, in);
	}
	free(wkb);
	GEOSWKBWriter_destroy_r(ctx, writer);
	GEOSWKBReader_destroy_r(ctx, reader);
	GEOS_finish_r(ctx);
	UNWRAP();
	return out;
}

GDALDatasetH gdWarp(gdErrs *e, const char *dst, GDALDatasetH src, char **switches) {
	WRAP(e);
	GDALDatasetH out = NULL;
	GDALWarpAppOptions *opts = GDALWarpAppOptionsNew(switches, NULL);
	if (opts != NULL) {
		int usageError = 0;
		out = GDALWarp(dst, NULL, 1, &src, opts, &usageError);
		GDALWarpAppOptionsFree(opts);
	}
	if (out == NULL) {
		failIfSilent(e, "warp");
	}
	UNWRAP();
	return out;
}

int gdDatasetReadFloat32(gdErrs *e, GDALDatasetH ds, int x, int y, int w, int h, float *buf, int bands, int *bandMap) {
	WRAP(e);
	CPLErr err = GDALDatasetRasterIO(ds, GF_Read, x, y, w, h, buf, w, h, GDT_Float32, bands, bandMap, 0, 0, 0);
	if (err != CE_None) {
		failIfSilent(e, "raster read");
	}
	UNWRAP();
	return err == CE_None;
}

int gdSRSAreaOfUse(gdErrs *e, OGRSpatialReferenceH srs, double *west, double *south, double *east, double *north, char **name) {
	WRAP(e);
	const char *n = NULL;
	int ok = OSRGetAreaOfUse(srs, west, south, east, north, &n);
	*name = ok && n ? CPLStrdup(n) : NULL;
	UNWRAP();
	return ok;
}

GDALDatasetH gdTranslate(gdErrs *e, const char *dst, GDALDatasetH src, char **switches) {
	WRAP(e);
	GDALDatasetH out = NULL;
	GDALTranslateOptions *opts = GDALTranslateOptionsNew(switches, NULL);
	if (opts != NULL) {
		int usageError = 0;
		out = GDALTranslate(dst, src, opts, &usageError);
		GDALTranslateOptionsFree(opts);
	}
	if (out == NULL) {
		failIfSilent(e, "translate");
	}
	UNWRAP();
	return out;
}

int gdDatasetReadByte(gdErrs *e, GDALDatasetH ds, int x, int y, int w, int h, unsigned char *buf, int bands, int *bandMap) {
	WRAP(e);
	/* Pixel-interleaved: buf holds RGBA quadruples, as image.NRGBA does. */
	CPLErr err = GDALDatasetRasterIO(ds, GF_Read, x, y, w, h, buf, w, h, GDT_Byte, bands, bandMap, bands, (GSpacing)bands * w, 1);
	if (err != CE_None) {
		failIfSilent(e, "raster read");
	}
	UNWRAP();
	return err == CE_None;
}

unsigned char *gdTakeMemFile(const char *name, unsigned long long *len) {
	vsi_l_offset n = 0;
	GByte *b = VSIGetMemFileBuffer(name, &n, TRUE);
	*len = (unsigned long long)n;
	return b;
}
