// libxml2 for Swift. Debian builds libxml2 with ICU, whose types clash with Foundation's copy:
// include xmlversion.h first and switch ICU off before the other headers.
#ifndef PALIMPSEST_CLIBXML2_SHIM_H
#define PALIMPSEST_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/parser.h>

// xmlFree is a global function pointer: Swift 6 refuses to call it directly.
static inline void palimpsest_xml_free(void *p) { xmlFree(p); }

static void palimpsest_xml_silent_generic(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static void palimpsest_xml_silent_structured(void *ctx, const xmlError *err) { (void)ctx; (void)err; }
// libxml2's error handlers are per thread: call this on every thread that parses.
static inline void palimpsest_xml_silence_errors(void) {
    xmlSetGenericErrorFunc(NULL, palimpsest_xml_silent_generic);
    xmlSetStructuredErrorFunc(NULL, (xmlStructuredErrorFunc)palimpsest_xml_silent_structured);
}
#endif
