// iconv recoding for package gdal; see Recoder in recode.go.
#ifndef OUTCROP_GDAL_RECODE_H
#define OUTCROP_GDAL_RECODE_H

#include <iconv.h>
#include <stddef.h>

iconv_t gdIconvOpen(const char *from);
int gdIconvIsBad(iconv_t cd);
void gdIconvClose(iconv_t cd);
int gdIconvHoldsBack(iconv_t cd);
char *gdIconvRecode(iconv_t cd, const char *src, size_t n, size_t *outLen, int *bad);

#endif
