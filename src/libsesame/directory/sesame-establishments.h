/* sesame-establishments.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sesame-store.h"

G_BEGIN_DECLS

/**
 * SesameEstablishment:
 * @jointure: the directory key of the structure
 * @uai: the national code, e.g. `0740017S`
 * @name: its usual name
 * @street: its street address
 * @postal_code: its postal code
 * @city: its city
 * @academy: its academy, e.g. `GRENOBLE`
 *
 * An establishment of the directory, with the address its letters carry.
 */
typedef struct
{
  char *jointure;
  char *uai;
  char *name;
  char *street;
  char *postal_code;
  char *city;
  char *academy;
} SesameEstablishment;

#define SESAME_TYPE_ESTABLISHMENT (sesame_establishment_get_type ())

GType                sesame_establishment_get_type (void) G_GNUC_CONST;
SesameEstablishment *sesame_establishment_copy     (const SesameEstablishment *establishment);
void                 sesame_establishment_free     (SesameEstablishment       *establishment);

GPtrArray           *sesame_establishments_list    (SesameStore  *self,
                                                    GError      **error);
SesameEstablishment *sesame_establishments_find    (SesameStore  *self,
                                                    const char   *uai_or_jointure,
                                                    GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameEstablishment, sesame_establishment_free)

G_END_DECLS
