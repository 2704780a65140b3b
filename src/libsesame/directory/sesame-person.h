/* sesame-person.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sesame-types.h"

G_BEGIN_DECLS

#define SESAME_TYPE_PERSON (sesame_person_get_type ())

G_DECLARE_FINAL_TYPE (SesamePerson, sesame_person, SESAME, PERSON, GObject)

/**
 * SesamePersonField:
 *
 * The text fields of a #SesamePerson, for sesame_person_get_field().
 */
typedef enum
{
  SESAME_PERSON_KEY,              /* directory key (ENTPersonJointure) */
  SESAME_PERSON_KIND,             /* Eleve, PersRelEleve, PersEducNat */
  SESAME_PERSON_TITLE,
  SESAME_PERSON_LAST_NAME,
  SESAME_PERSON_FIRST_NAME,
  SESAME_PERSON_BIRTH_NAME,
  SESAME_PERSON_BIRTH_DATE,       /* YYYY-MM-DD or empty */
  SESAME_PERSON_INE,
  SESAME_PERSON_LOGIN,            /* empty when the person has no account */
  SESAME_PERSON_STRUCTURE,        /* establishment jointure */
  SESAME_PERSON_ESTABLISHMENT,    /* establishment UAI */
  SESAME_PERSON_ESTABLISHMENT_NAME,
  SESAME_PERSON_ACADEMY,
  SESAME_PERSON_ADDRESS,          /* lines joined by "\n" */
  SESAME_PERSON_POSTAL_CODE,
  SESAME_PERSON_CITY,
  SESAME_PERSON_COUNTRY,
  SESAME_PERSON_EMAIL,
  SESAME_PERSON_HOME_PHONE,
  SESAME_PERSON_WORK_PHONE,
  SESAME_PERSON_MOBILE,
  SESAME_PERSON_MATCH,            /* why a search found the person, when not by name */
  SESAME_PERSON_N_FIELDS
} SesamePersonField;

SesamePerson       *sesame_person_new                  (void);
const char         *sesame_person_get_field            (SesamePerson      *self,
                                                        SesamePersonField  field);

const char         *sesame_person_get_key              (SesamePerson *self);
const char         *sesame_person_get_login            (SesamePerson *self);
const char         *sesame_person_get_last_name        (SesamePerson *self);
const char         *sesame_person_get_first_name       (SesamePerson *self);
char               *sesame_person_dup_display_name     (SesamePerson *self);
const char         *sesame_person_get_establishment    (SesamePerson *self);
SesameProfile       sesame_person_get_profile          (SesamePerson *self);
SesameAccountState  sesame_person_get_state            (SesamePerson *self);
const char * const *sesame_person_get_classes          (SesamePerson *self);
const char * const *sesame_person_get_groups           (SesamePerson *self);
char               *sesame_person_dup_classes_label    (SesamePerson *self);
gboolean            sesame_person_is_distributable     (SesamePerson *self);
gboolean            sesame_person_get_has_left         (SesamePerson *self);
gboolean            sesame_person_get_must_change_password (SesamePerson *self);
gint64              sesame_person_get_account_created_at (SesamePerson *self);
gint64              sesame_person_get_first_sign_in_at (SesamePerson *self);
gint64              sesame_person_get_last_sign_in_at  (SesamePerson *self);

G_END_DECLS
