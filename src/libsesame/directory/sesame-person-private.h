/* sesame-person-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the core fills a person it loads from the store (search results, a
 * person's card). Outside the core a person is read-only: what it says is
 * what the store held when it was loaded, and changes go through the store.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-person-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-person.h"

G_BEGIN_DECLS

void  _sesame_person_set_field            (SesamePerson      *self,
                                           SesamePersonField  field,
                                           const char        *value);
void  _sesame_person_set_profile          (SesamePerson *self,
                                           SesameProfile profile);
void  _sesame_person_set_state            (SesamePerson *self,
                                           SesameAccountState state);
void  _sesame_person_set_classes          (SesamePerson *self,
                                           const char * const *classes);
void  _sesame_person_set_groups           (SesamePerson *self,
                                           const char * const *groups);
void  _sesame_person_set_has_left         (SesamePerson *self,
                                           gboolean      has_left);
void  _sesame_person_set_must_change_password (SesamePerson *self,
                                               gboolean      must_change);
void  _sesame_person_set_times            (SesamePerson *self,
                                           gint64        account_created_at,
                                           gint64        first_sign_in_at,
                                           gint64        last_sign_in_at);

G_END_DECLS
