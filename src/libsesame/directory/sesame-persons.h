/* sesame-persons.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-person.h"
#include "sesame-store.h"

G_BEGIN_DECLS

char *sesame_persons_dup_qualified_key (SesameStore *self,
                                        const char  *person_key);

G_END_DECLS
