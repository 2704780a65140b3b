/* sesame-import-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the parts of the directory import share: the files to read
 * (sesame-import-files.c), how a record changes the store
 * (sesame-import-apply.c), and the run of an import (sesame-import.c).
 */
#pragma once

#include "sesame-aaf-reader.h"
#include "sesame-import.h"
#include "sesame-store-private.h"

G_BEGIN_DECLS

/* Warnings kept in a summary; the rest are counted in a last line. */
#define SESAME_IMPORT_MAX_WARNINGS 5000

typedef struct
{
  char              *path;
  char              *name;      /* its base name, for messages */
  SesameAafFileInfo  info;      /* what its name says */
  SesameAafKind      kind;      /* from its name, or its first record */
  guint64            size;
} SesameImportFile;

typedef struct
{
  SesameStore          *store;
  SesameImportFlags     flags;
  GCancellable         *cancellable;
  SesameImportProgress  progress;
  gpointer              progress_data;
  SesameImportSummary  *summary;
  char                 *import_id;
  gint64                now;

  GPtrArray            *files;          /* SesameImportFile */
  guint64               bytes_total;
  guint64               bytes_done;     /* of the files already read */
  guint64               records;
  guint                 warnings_left_out;

  /* Long-lived strings: keys of the tables below. */
  GStringChunk         *strings;
  /* Per record: cut-up values, cleared after each record. */
  GStringChunk         *scratch;

  /* Structure jointure → UAI, from the store and this import. */
  GHashTable           *structure_uai;

  /* --establishment: the UAIs, their structures and the parents of their
   * pupils; NULL to keep everything. */
  GHashTable           *keep_uais;
  GHashTable           *keep_structures;
  GHashTable           *keep_parents;

  /* Persons read by this import: key → SesameAafKind. */
  GHashTable           *seen;

  /* What the complete exports cover: per kind, the structures whose
   * people the export lists in full. */
  GHashTable           *covered[SESAME_AAF_N_KINDS];
  gboolean              complete_kind[SESAME_AAF_N_KINDS];
  gboolean              departures_off[SESAME_AAF_N_KINDS];

  /* Accounts created, for the identifier files: UAI → GPtrArray of keys,
   * and for parents, key → GPtrArray of the UAIs of their children. */
  GHashTable           *created_by_uai;
  GHashTable           *created_parents;
  guint                 created_without_uai;

  /* The largest rowid of persons before the import. */
  sqlite3_int64         last_rowid;
  /* Persons whose names changed, for the free-text index. */
  GPtrArray            *renamed;

  /* The file being read. */
  const SesameImportFile *file;
  GHashTable           *missing_structures;  /* jointure → MissingStructure */
  gboolean              unknown_category_warned;
} SesameImportJob;

/* sesame-import-files.c */
GPtrArray *_sesame_import_collect_files    (const char * const *paths,
                                            GError            **error);
void       _sesame_import_file_free        (SesameImportFile   *file);
void       _sesame_import_check_chunks     (SesameImportJob    *job);

/* sesame-import-apply.c */
void       _sesame_import_job_init         (SesameImportJob    *job);
void       _sesame_import_job_clear        (SesameImportJob    *job);
void       _sesame_import_warn             (SesameImportJob    *job,
                                            const char         *file_name,
                                            guint               line,
                                            const char         *message);
const char *_sesame_import_keep_string   (SesameImportJob    *job,
                                            const char         *text);
gboolean   _sesame_import_mark_left        (SesameImportJob    *job,
                                            const char         *key,
                                            GError            **error);
gboolean   _sesame_import_load_structures  (SesameImportJob    *job,
                                            GError            **error);
void       _sesame_import_begin_file       (SesameImportJob        *job,
                                            const SesameImportFile *file);
void       _sesame_import_end_file         (SesameImportJob    *job);
gboolean   _sesame_import_apply_record     (SesameImportJob        *job,
                                            const SesameAafRecord  *record,
                                            GError                **error);

/* sesame-import-scope.c */
gboolean   _sesame_import_select           (SesameImportJob    *job,
                                            const char * const *establishments,
                                            GError            **error);
gboolean   _sesame_import_mark_departures  (SesameImportJob    *job,
                                            GError            **error);
gboolean   _sesame_import_record_files     (SesameImportJob    *job,
                                            GError            **error);

G_END_DECLS
