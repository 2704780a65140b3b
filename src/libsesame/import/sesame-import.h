/* sesame-import.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sesame-store.h"

G_BEGIN_DECLS

/**
 * SesameImportFlags:
 * @SESAME_IMPORT_FLAGS_NONE: an ordinary import
 * @SESAME_IMPORT_FLAGS_DRY_RUN: tell what would change, change nothing
 * @SESAME_IMPORT_FLAGS_ACCEPT_DEPARTURES: mark the people missing from a
 *   complete export as having left even when they are more than the
 *   store's threshold (%SESAME_SETTING_DEPARTURE_THRESHOLD) of an
 *   establishment
 *
 * How sesame_import_run() treats the files it reads.
 */
typedef enum
{
  SESAME_IMPORT_FLAGS_NONE              = 0,
  SESAME_IMPORT_FLAGS_DRY_RUN           = 1 << 0,
  SESAME_IMPORT_FLAGS_ACCEPT_DEPARTURES = 1 << 1,
} SesameImportFlags;

#define SESAME_IMPORT_ERROR (sesame_import_error_quark ())

/**
 * SesameImportError:
 * @SESAME_IMPORT_ERROR_DEPARTURES: the import would mark more of an
 *   establishment's people as having left than the store's threshold;
 *   nothing was changed, and the message names the establishments and the
 *   counts. Import again with %SESAME_IMPORT_FLAGS_ACCEPT_DEPARTURES once
 *   someone has confirmed them.
 *
 * The errors of the import that are not those of the core's
 * %SESAME_ERROR domain: they call for a decision, not a correction.
 */
typedef enum
{
  SESAME_IMPORT_ERROR_DEPARTURES,
} SesameImportError;

GQuark sesame_import_error_quark (void);

/**
 * SesameImportSummary:
 * @dry_run: nothing was written
 * @files: files read
 * @establishments: EtabEducNat records read
 * @subjects: MatiereEducNat records read
 * @pupils: Eleve records read
 * @parents: PersRelEleve records read
 * @staff: PersEducNat records read
 * @persons_created: persons new to the store
 * @persons_updated: persons whose directory data changed
 * @persons_departed: persons marked as having left
 * @accounts_created: accounts created
 * @warnings: (element-type utf8): warnings, each naming file and line
 * @identifier_files: (element-type utf8): ids of identifier files recorded
 * @import_id: the import's UUID (empty for a dry run)
 * @incomplete_sets: (element-type utf8): the complete exports read whose
 *   chunks are not all there: nobody was marked as having left from them
 *
 * What an import did, or would do in a dry run, counted by kind; it
 * describes itself with sesame_import_summary_describe().
 */
typedef struct
{
  gboolean   dry_run;
  guint      files;
  guint      establishments;
  guint      subjects;
  guint      pupils;
  guint      parents;
  guint      staff;
  guint      persons_created;
  guint      persons_updated;
  guint      persons_departed;
  guint      accounts_created;
  GPtrArray *warnings;
  GPtrArray *identifier_files;
  char      *import_id;
  GPtrArray *incomplete_sets;
} SesameImportSummary;

/**
 * SesameImportProgress:
 * @records: records read so far
 * @bytes_read: bytes of input read so far
 * @bytes_total: bytes of input in all
 * @user_data: closure data
 *
 * Reports progress. sesame_import_run() calls it from the thread doing the
 * work; sesame_import_run_async() calls it in the caller's main context.
 */
typedef void (*SesameImportProgress) (guint64  records,
                                      guint64  bytes_read,
                                      guint64  bytes_total,
                                      gpointer user_data);

#define SESAME_TYPE_IMPORT_SUMMARY (sesame_import_summary_get_type ())

GType                sesame_import_summary_get_type      (void) G_GNUC_CONST;
SesameImportSummary *sesame_import_summary_copy          (const SesameImportSummary *summary);
void                 sesame_import_summary_free          (SesameImportSummary       *summary);
char                *sesame_import_summary_describe      (const SesameImportSummary *summary);
JsonNode            *sesame_import_summary_to_json       (const SesameImportSummary *summary);
SesameImportSummary *sesame_import_summary_new_from_json (JsonNode                  *node);

SesameImportSummary *sesame_import_run          (SesameStore          *self,
                                                 const char * const   *paths,
                                                 const char * const   *establishments,
                                                 SesameImportFlags     flags,
                                                 SesameImportProgress  progress,
                                                 gpointer              progress_data,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
void                 sesame_import_run_async    (SesameStore          *self,
                                                 const char * const   *paths,
                                                 const char * const   *establishments,
                                                 SesameImportFlags     flags,
                                                 SesameImportProgress  progress,
                                                 gpointer              progress_data,
                                                 GDestroyNotify        progress_data_destroy,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
SesameImportSummary *sesame_import_run_finish   (SesameStore          *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameImportSummary, sesame_import_summary_free)

G_END_DECLS
