/* check_compose.c - check's view of a compose project: the environment
 * each Kodus service that reads the LLM block really receives. */
#include "config.h"
