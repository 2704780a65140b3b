/* sesame-import-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the parts of the directory import share: the files to read
 * (sesame-import-files.c), how a record changes the store
 * (sesame-import-apply.c), and the run of an import (sesame-import.c).
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-import-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-accounts-private.h"
#include "sesame-aaf-reader.h"
#include "sesame-import.h"
#include "sesame-store-private.h"

G_BEGIN_DECLS

/* Warnings kept in a summary; the rest are counted in a last line. */
#define SESAME_IMPORT_MAX_WARNINGS 5000

/* A link of a person (a class, a guardian, a function…): its columns, the
 * key ones first. */
#define SESAME_IMPORT_LINK_MAX_COLS 5

typedef struct
{
  const char *col[SESAME_IMPORT_LINK_MAX_COLS];
} SesameImportLink;

/* A table of links and the statements that keep it. */
typedef struct
{
  const char *select_sql;     /* columns, then deleted_at IS NOT NULL */
  const char *upsert_sql;     /* ?1 the person, ?2… the columns */
  const char *tombstone_sql;  /* ?1 the person, ?2… the key, then the time */
  guint       n_keys;
  guint       n_cols;
} SesameImportLinkTable;

typedef struct
{
  char              *path;
  char              *name;      /* its base name, for messages */
  SesameAafFileInfo  info;      /* what its name says */
  SesameAafKind      kind;      /* from its name, or its first record */
  guint64            size;
  guint              index;     /* in the import's order */
  gboolean           incomplete; /* of a complete set with chunks missing */
} SesameImportFile;

/* Where a person of this import was read, to name both records when a key
 * comes twice. */
typedef struct
{
  guint32 line;
  guint16 file;
  guint8  kind;
} SesameImportSeen;

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

  /* Persons read by this import: key → 1 + their index in seen_records. */
  GHashTable           *seen;
  GArray               *seen_records;   /* SesameImportSeen */
  /* Persons this import marked as having left. */
  GHashTable           *departed;

  /* What the complete exports cover: per kind, the structures whose
   * people the export lists in full. */
  GHashTable           *covered[SESAME_AAF_N_KINDS];
  gboolean              complete_kind[SESAME_AAF_N_KINDS];
  gboolean              departures_off[SESAME_AAF_N_KINDS];
  /* Per kind, the UAIs whose complete set of that kind has chunks missing. */
  GHashTable           *incomplete_uais[SESAME_AAF_N_KINDS];

  /* Accounts created, for the identifier files: UAI → GPtrArray of keys,
   * and for parents, key → GPtrArray of the UAIs of their children. */
  GHashTable           *created_by_uai;
  GHashTable           *created_parents;
  guint                 created_without_uai;

  /* Statements of the store's cache, by the address of their SQL. */
  GHashTable           *statements;

  /* The largest rowid of persons before the import. */
  sqlite3_int64         last_rowid;
  /* Persons whose names changed, for the free-text index. */
  GPtrArray            *renamed;
  /* A bulk import: the CREATE INDEX statements of the indexes it dropped,
   * to build once its rows are written. */
  GPtrArray            *deferred_indexes;
  /* A bulk import: every login of the store, so that new accounts find
   * theirs without a lookup. NULL otherwise. */
  SesameLoginSet       *logins;

  /* The file being read. */
  const SesameImportFile *file;
  GHashTable           *missing_structures;  /* jointure → MissingStructure */
  gboolean              unknown_category_warned;
} SesameImportJob;

/* sesame-import-files.c */
GPtrArray *_sesame_import_collect_files    (const char * const *paths,
                                            const char         *store_path,
                                            GError            **error);
void       _sesame_import_file_free        (SesameImportFile   *file);
gboolean   _sesame_import_check_chunks     (SesameImportJob    *job,
                                            GError            **error);

/* sesame-import-pipeline.c */
gboolean    _sesame_import_run_pipeline    (SesameImportJob    *job,
                                            GError            **error);
void        _sesame_import_report_progress (SesameImportJob    *job,
                                            guint64             bytes_in_file);

/* sesame-import-apply.c */
void        _sesame_import_job_init        (SesameImportJob    *job);
void        _sesame_import_job_clear       (SesameImportJob    *job);
sqlite3_stmt *_sesame_import_prepare       (SesameImportJob    *job,
                                            const char         *sql,
                                            GError            **error);
const char *_sesame_import_keep_string     (SesameImportJob    *job,
                                            const char         *text);
void        _sesame_import_warn            (SesameImportJob    *job,
                                            const char         *file_name,
                                            guint               line,
                                            const char         *message);
void        _sesame_import_warn_record     (SesameImportJob    *job,
                                            guint               line,
                                            const char         *format,
                                            ...) G_GNUC_PRINTF (3, 4);
gboolean    _sesame_import_load_structures (SesameImportJob    *job,
                                            GError            **error);
void        _sesame_import_begin_file      (SesameImportJob        *job,
                                            const SesameImportFile *file);
void        _sesame_import_end_file        (SesameImportJob    *job);
gboolean    _sesame_import_apply_record    (SesameImportJob        *job,
                                            const SesameAafRecord  *record,
                                            GError                **error);
const char *_sesame_import_value           (const SesameAafRecord *record,
                                            const char            *name);
const char *_sesame_import_first_value     (const SesameAafRecord *record,
                                            const char            *name);
guint       _sesame_import_split           (SesameImportJob    *job,
                                            const char         *value,
                                            const char        **fields,
                                            guint               max);
gboolean    _sesame_import_split_value     (SesameImportJob       *job,
                                            const SesameAafRecord *record,
                                            const char            *attribute,
                                            const char            *value,
                                            const char            *form,
                                            const char           **fields,
                                            guint                  max,
                                            guint                  required);
void        _sesame_import_note_structure  (SesameImportJob    *job,
                                            const char         *structure,
                                            guint               line);

/* sesame-import-links.c */
extern const char * const          _sesame_import_digits[10];
extern const SesameImportLinkTable _sesame_import_memberships;
extern const SesameImportLinkTable _sesame_import_guardians;
extern const SesameImportLinkTable _sesame_import_functions;
extern const SesameImportLinkTable _sesame_import_teachings;
extern const SesameImportLinkTable _sesame_import_staff_subjects;

SesameImportLink *_sesame_import_add_link          (GArray                *links,
                                                    guint                  n_keys,
                                                    const char            *c0,
                                                    const char            *c1,
                                                    const char            *c2,
                                                    const char            *c3,
                                                    const char            *c4);
void              _sesame_import_collect_guardians (SesameImportJob       *job,
                                                    const SesameAafRecord *record,
                                                    GArray                *links);
void              _sesame_import_collect_codes     (SesameImportJob       *job,
                                                    const SesameAafRecord *record,
                                                    const char            *attribute,
                                                    const char            *kind,
                                                    const char            *person_structure,
                                                    GArray                *links);
gboolean          _sesame_import_sync_links        (SesameImportJob             *job,
                                                    const SesameImportLinkTable *table,
                                                    const char                  *key,
                                                    GArray                      *links,
                                                    gboolean                     existing,
                                                    gboolean                    *changed,
                                                    GError                     **error);

/* sesame-import-persons.c */
gboolean    _sesame_import_apply_person        (SesameImportJob       *job,
                                                const SesameAafRecord *record,
                                                SesameAafKind          kind,
                                                const char            *key,
                                                GError               **error);
gboolean    _sesame_import_apply_person_delete (SesameImportJob       *job,
                                                const SesameAafRecord *record,
                                                SesameAafKind          kind,
                                                const char            *key,
                                                GError               **error);
gboolean    _sesame_import_mark_left           (SesameImportJob       *job,
                                                const char            *key,
                                                GError               **error);
const char *_sesame_import_kind_label          (SesameAafKind          kind);

/* sesame-import-scope.c */
/* sesame-import.c: files of at least this many bytes, bringing more
 * persons than the store holds, are imported in bulk. */
extern guint64 _sesame_import_bulk_min_bytes;

gboolean   _sesame_import_select           (SesameImportJob    *job,
                                            const char * const *establishments,
                                            GError            **error);
gboolean   _sesame_import_mark_departures  (SesameImportJob    *job,
                                            GError            **error);
gboolean   _sesame_import_check_departures (SesameImportJob    *job,
                                            GError            **error);
gboolean   _sesame_import_record_files     (SesameImportJob    *job,
                                            GError            **error);

G_END_DECLS
