/* sesame-types-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the core's statements need of the types: profiles are named in SQL
 * by placeholder, never by number, so that who receives passwords is
 * decided by sesame_profile_is_distributable() alone.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-types-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-types.h"

G_BEGIN_DECLS

/* Placeholders for profiles in statements, see _sesame_profile_sql(). */
#define SESAME_SQL_DISTRIBUTABLE "@DISTRIBUTABLE@" /* "(1, 2, …)", with its parentheses */
#define SESAME_SQL_PUPIL         "@PUPIL@"
#define SESAME_SQL_PARENT        "@PARENT@"

const char    *_sesame_profile_sql            (const char   *sql);

G_END_DECLS
