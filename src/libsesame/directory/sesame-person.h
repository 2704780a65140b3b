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
 * @SESAME_PERSON_KEY: the directory key (ENTPersonJointure)
 * @SESAME_PERSON_KIND: the AAF category: Eleve, PersRelEleve, PersEducNat
 * @SESAME_PERSON_TITLE: the civility (M., Mme)
 * @SESAME_PERSON_LAST_NAME: the usage last name
 * @SESAME_PERSON_FIRST_NAME: the first name
 * @SESAME_PERSON_BIRTH_NAME: the birth name (nom de naissance)
 * @SESAME_PERSON_BIRTH_DATE: the date of birth, YYYY-MM-DD, or empty
 * @SESAME_PERSON_INE: a pupil's national identifier (INE)
 * @SESAME_PERSON_LOGIN: the ENT login, empty when the person has no account
 * @SESAME_PERSON_STRUCTURE: the establishment's directory key (jointure)
 * @SESAME_PERSON_ESTABLISHMENT: the establishment's UAI
 * @SESAME_PERSON_ESTABLISHMENT_NAME: the establishment's name
 * @SESAME_PERSON_ACADEMY: the academy
 * @SESAME_PERSON_ADDRESS: the postal address's lines, joined by "\n"
 * @SESAME_PERSON_POSTAL_CODE: the postal code
 * @SESAME_PERSON_CITY: the city
 * @SESAME_PERSON_COUNTRY: the country
 * @SESAME_PERSON_EMAIL: the email address the directory gives
 * @SESAME_PERSON_HOME_PHONE: the home telephone
 * @SESAME_PERSON_WORK_PHONE: the work telephone
 * @SESAME_PERSON_MOBILE: the mobile telephone
 * @SESAME_PERSON_MATCH: why a search found the person, when not by name
 *   (a birth name, a former login); empty otherwise
 * @SESAME_PERSON_N_FIELDS: the number of fields, not a field
 *
 * The text fields of a #SesamePerson, for sesame_person_get_field().
 */
typedef enum
{
  SESAME_PERSON_KEY,
  SESAME_PERSON_KIND,
  SESAME_PERSON_TITLE,
  SESAME_PERSON_LAST_NAME,
  SESAME_PERSON_FIRST_NAME,
  SESAME_PERSON_BIRTH_NAME,
  SESAME_PERSON_BIRTH_DATE,
  SESAME_PERSON_INE,
  SESAME_PERSON_LOGIN,
  SESAME_PERSON_STRUCTURE,
  SESAME_PERSON_ESTABLISHMENT,
  SESAME_PERSON_ESTABLISHMENT_NAME,
  SESAME_PERSON_ACADEMY,
  SESAME_PERSON_ADDRESS,
  SESAME_PERSON_POSTAL_CODE,
  SESAME_PERSON_CITY,
  SESAME_PERSON_COUNTRY,
  SESAME_PERSON_EMAIL,
  SESAME_PERSON_HOME_PHONE,
  SESAME_PERSON_WORK_PHONE,
  SESAME_PERSON_MOBILE,
  SESAME_PERSON_MATCH,
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
