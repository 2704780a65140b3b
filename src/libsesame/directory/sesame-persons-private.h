/* sesame-persons-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-persons-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-persons.h"
#include "sesame-store-private.h"

G_BEGIN_DECLS

char         **_sesame_persons_list_values (SesameStore  *self,
                                            const char   *sql,
                                            const char   *key);
SesamePerson  *_sesame_persons_load        (SesameStore  *self,
                                            const char   *person_key,
                                            GError      **error);

G_END_DECLS
