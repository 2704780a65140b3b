/* sesame-aaf-reader.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A streaming reader of the academy directory export (AAF): one record at a
 * time, in constant memory whatever the size of the file. The import reads
 * the directory with it; the window and sesamectl go through
 * sesame-import.h, while the tests, fuzz targets and benchmarks read files
 * with it directly.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SesameAafKind:
 * @SESAME_AAF_KIND_UNKNOWN: a category Sésame does not import
 * @SESAME_AAF_KIND_ESTABLISHMENT: `categorieStructure` EtabEducNat
 * @SESAME_AAF_KIND_SUBJECT: `categorieMatiere` MatEducNat
 * @SESAME_AAF_KIND_STAFF: `categoriePersonne` PersEducNat
 * @SESAME_AAF_KIND_PARENT: `categoriePersonne` PersRelEleve
 * @SESAME_AAF_KIND_PUPIL: `categoriePersonne` Eleve
 *
 * The kinds in the order an import applies them: structures and subjects
 * before the people who refer to them, parents before the pupils who link
 * to them.
 */
typedef enum
{
  SESAME_AAF_KIND_UNKNOWN,
  SESAME_AAF_KIND_ESTABLISHMENT,
  SESAME_AAF_KIND_SUBJECT,
  SESAME_AAF_KIND_STAFF,
  SESAME_AAF_KIND_PARENT,
  SESAME_AAF_KIND_PUPIL,
} SesameAafKind;

#define SESAME_AAF_N_KINDS (SESAME_AAF_KIND_PUPIL + 1)

/**
 * SesameAafOperation:
 * @SESAME_AAF_OPERATION_ADD: an `addRequest`: the entry is new, or the
 *   export is complete
 * @SESAME_AAF_OPERATION_MODIFY: a `modifyRequest` of a delta export
 * @SESAME_AAF_OPERATION_DELETE: a `deleteRequest` of a delta export: the
 *   entry left the directory
 *
 * What a record asks of the directory, by its element in the file.
 */
typedef enum
{
  SESAME_AAF_OPERATION_ADD,
  SESAME_AAF_OPERATION_MODIFY,
  SESAME_AAF_OPERATION_DELETE,
} SesameAafOperation;

/**
 * SesameAafFileInfo:
 * @kind: the kind its name announces, or %SESAME_AAF_KIND_UNKNOWN
 * @kind_name: the kind as written in the name (e.g. "MefEducNat"), or ""
 * @complete: a complete export (`_Complet_`)
 * @delta: a delta export (`_Delta_`)
 * @uai: the establishment of a per-establishment export, or ""
 * @date: the export's date as YYYYMMDD, or ""
 * @chunk: the chunk number (`_0003`), or -1
 * @set: the name without its chunk number, shared by the chunks of one set
 *
 * What an AAF file's name says:
 * `ENT_<UAI>_Complet_<YYYYMMDD>_<Kind>_<NNNN>.xml` per establishment,
 * `FULL_…_Complet_…` or `…_Delta_…` academy-wide, possibly prefixed with
 * `clean-`.
 */
typedef struct
{
  SesameAafKind kind;
  char          kind_name[32];
  gboolean      complete;
  gboolean      delta;
  char          uai[16];
  char          date[16];
  int           chunk;
  char         *set;
} SesameAafFileInfo;

void           sesame_aaf_file_info_parse (SesameAafFileInfo *info,
                                           const char        *path);
void           sesame_aaf_file_info_clear (SesameAafFileInfo *info);

SesameAafKind  sesame_aaf_kind_from_category (const char *category);
const char    *sesame_aaf_kind_to_category   (SesameAafKind kind);

/**
 * SesameAafRecord:
 *
 * One entry of an AAF file: its operation, category, identifier, line and
 * attributes, each with its values in the order of the file. The reader
 * reuses one record for every entry; sesame_aaf_record_copy_into() keeps
 * one beyond the callback.
 */
typedef struct _SesameAafRecord SesameAafRecord;

SesameAafRecord    *sesame_aaf_record_new            (void);
void                sesame_aaf_record_free           (SesameAafRecord       *record);
void                sesame_aaf_record_copy_into      (SesameAafRecord       *dest,
                                                      const SesameAafRecord *src);
SesameAafKind       sesame_aaf_record_get_kind       (const SesameAafRecord *record);
const char         *sesame_aaf_record_get_category   (const SesameAafRecord *record);
SesameAafOperation  sesame_aaf_record_get_operation  (const SesameAafRecord *record);
const char         *sesame_aaf_record_get_id         (const SesameAafRecord *record);
guint               sesame_aaf_record_get_line       (const SesameAafRecord *record);
const char * const *sesame_aaf_record_get_values     (const SesameAafRecord *record,
                                                      const char            *name);
const char         *sesame_aaf_record_get_value      (const SesameAafRecord *record,
                                                      const char            *name);
guint               sesame_aaf_record_get_value_line (const SesameAafRecord *record,
                                                      const char            *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameAafRecord, sesame_aaf_record_free)

/**
 * SesameAafRecordFunc:
 * @record: the record read, valid during the call only
 * @user_data: the data given to sesame_aaf_read_file()
 * @error: return location for a #GError
 *
 * Receives each record of a file read by sesame_aaf_read_file(), in the
 * reading thread.
 *
 * Returns: %TRUE to go on, %FALSE with @error set to stop the reading
 */
typedef gboolean (*SesameAafRecordFunc)  (const SesameAafRecord *record,
                                          gpointer               user_data,
                                          GError               **error);
/**
 * SesameAafWarningFunc:
 * @file_name: the name of the file read
 * @line: the line of the oddity
 * @message: what was repaired or skipped, translated
 * @user_data: the data given to sesame_aaf_read_file()
 *
 * Receives each warning of a file read by sesame_aaf_read_file(): a fault
 * of the export that the reader repaired or skipped.
 */
typedef void     (*SesameAafWarningFunc) (const char            *file_name,
                                          guint                  line,
                                          const char            *message,
                                          gpointer               user_data);

gboolean  sesame_aaf_read_file (const char           *path,
                                SesameAafRecordFunc   record_func,
                                SesameAafWarningFunc  warning_func,
                                gpointer              user_data,
                                guint64              *bytes_read,
                                GCancellable         *cancellable,
                                GError              **error);

G_END_DECLS
