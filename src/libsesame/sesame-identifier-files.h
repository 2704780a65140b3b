/* sesame-identifier-files.h
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

/**
 * SesameIdentifierFile:
 * @id: the file's UUID
 * @name: `ENT-Identifiants-<UAI>.csv`
 * @establishment: the UAI
 * @generated_at: when, in seconds since the Unix epoch
 * @since: accounts created since then (0: all)
 * @size: the size of the CSV in bytes, as last rendered
 * @accounts: how many accounts it lists
 */
typedef struct
{
  char   *id;
  char   *name;
  char   *establishment;
  gint64  generated_at;
  gint64  since;
  gint64  size;
  guint   accounts;
} SesameIdentifierFile;

#define SESAME_TYPE_ESTABLISHMENT (sesame_establishment_get_type ())
#define SESAME_TYPE_IDENTIFIER_FILE (sesame_identifier_file_get_type ())

GType                 sesame_establishment_get_type     (void) G_GNUC_CONST;
SesameEstablishment  *sesame_establishment_copy         (const SesameEstablishment *establishment);
void                  sesame_establishment_free         (SesameEstablishment       *establishment);
GType                 sesame_identifier_file_get_type   (void) G_GNUC_CONST;
SesameIdentifierFile *sesame_identifier_file_copy       (const SesameIdentifierFile *file);
void                  sesame_identifier_file_free       (SesameIdentifierFile       *file);

GPtrArray            *sesame_store_list_establishments  (SesameStore  *self,
                                                         GError      **error);
SesameEstablishment  *sesame_store_find_establishment   (SesameStore  *self,
                                                         const char   *uai_or_jointure,
                                                         GError      **error);

GPtrArray            *sesame_store_list_identifier_files (SesameStore  *self,
                                                          GError      **error);
SesameIdentifierFile *sesame_store_generate_identifier_file (SesameStore  *self,
                                                             const char   *uai,
                                                             gint64        since,
                                                             GError      **error);
GBytes               *sesame_store_render_identifier_file (SesameStore  *self,
                                                           const char   *id,
                                                           GError      **error);
gboolean              sesame_store_export_identifier_file (SesameStore  *self,
                                                           const char   *id,
                                                           const char   *path,
                                                           GError      **error);
gboolean              sesame_store_delete_identifier_file (SesameStore  *self,
                                                           const char   *id,
                                                           GError      **error);
char                **sesame_store_list_identifier_file_keys (SesameStore *self,
                                                              const char  *id,
                                                              GError     **error);

/* Writes a CSV cell that no spreadsheet runs as a formula and that cannot
 * break a `;`-separated line. */
void                  sesame_csv_append_cell            (GString      *line,
                                                         const char   *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameEstablishment, sesame_establishment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameIdentifierFile, sesame_identifier_file_free)

G_END_DECLS
