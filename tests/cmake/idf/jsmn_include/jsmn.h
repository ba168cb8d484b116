/* Stand-in for the espressif/jsmn component's header: declarations only, so
 * ges_job.c calls the component's jsmn_parse() (its JSMN_STATIC has no
 * effect on such a header). */
#undef JSMN_STATIC
#define JSMN_HEADER
#include "/usr/include/jsmn.h"
#undef JSMN_HEADER
