/* Stand-in for the espressif/jsmn component: jsmn's code compiled once, with
 * extern functions and without JSMN_STRICT (that component's defaults). */
#include "/usr/include/jsmn.h"
