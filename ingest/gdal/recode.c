#include "recode.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

iconv_t gdIconvOpen(const char *from) {
	return iconv_open("UTF-8", from);
}

int gdIconvIsBad(iconv_t cd) {
	return cd == (iconv_t)(-1);
}

void gdIconvClose(iconv_t cd) {
	iconv_close(cd);
}

int gdIconvHoldsBack(iconv_t cd) {
	char in[] = "A";
	char out[16];
	char *pin = in, *pout = out;
	size_t nin = 1, nout = sizeof(out);
	iconv(cd, NULL, NULL, NULL, NULL);
	iconv(cd, &pin, &nin, &pout, &nout);
	int held = pout == out;
	iconv(cd, NULL, NULL, NULL, NULL);
	return held;
}

char *gdIconvRecode(iconv_t cd, const char *src, size_t n, size_t *outLen, int *bad) {
	size_t cap = n * 4 + 16;
	char *out = malloc(cap);
	if (out == NULL) {
		return NULL;
	}
	char *pin = (char *)src, *pout = out;
	size_t nin = n, nout = cap;
	*bad = 0;
	iconv(cd, NULL, NULL, NULL, NULL);
	for (;;) {
		// A NULL input flushes the characters a stateful decoder holds
		// back in case a combining mark follows.
		size_t r = nin > 0 ? iconv(cd, &pin, &nin, &pout, &nout) : iconv(cd, NULL, NULL, &pout, &nout);
		if (r != (size_t)(-1)) {
			if (nin == 0 && pin != NULL) {
				pin = NULL; // all input taken: flush next
				continue;
			}
			break;
		}
		if (errno == E2BIG) {
			size_t used = pout - out;
			cap *= 2;
			char *grown = realloc(out, cap);
			if (grown == NULL) {
				free(out);
				return NULL;
			}
			out = grown;
			pout = out + used;
			nout = cap - used;
			continue;
		}
		// EILSEQ or EINVAL: bytes with no meaning in this encoding.
		*bad = 1;
		break;
	}
	*outLen = pout - out;
	return out;
}
