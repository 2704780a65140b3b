/* sesame-import-apply.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How one AAF record changes the store: the dispatch of records by kind,
 * and establishments and subjects (persons and their links have files of
 * their own; what every step shares is in sesame-import-job.c). A row is
 * written only when something in it changed, so that importing the same
 * files twice changes nothing.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-import"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-import-private.h"

/* Establishments and subjects */

static gboolean
apply_establishment (SesameImportJob       *job,
                     const SesameAafRecord *record,
                     const char            *jointure,
                     GError               **error)
{
  g_autofree char *uai = NULL;
  const char *name, *street, *postal_code, *city, *academy, *phone;
  sqlite3_stmt *stmt;
  gboolean exists = FALSE, same = FALSE;

  uai = g_ascii_strup (*_sesame_import_first_value (record, "ENTStructureUAI") ? _sesame_import_first_value (record, "ENTStructureUAI")
                                                                : _sesame_import_first_value (record, "ENTEtablissementUAI"), -1);
  if (job->keep_uais != NULL && !g_hash_table_contains (job->keep_uais, uai))
    return TRUE;
  job->summary->establishments++;

  if (sesame_aaf_record_get_operation (record) == SESAME_AAF_OPERATION_DELETE)
    {
      stmt = _sesame_import_prepare (job,
                                     "UPDATE establishments SET deleted_at = ?2 WHERE jointure = ?1 AND deleted_at IS NULL",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, jointure, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, job->now);
      return _sesame_store_step_done (job->store, stmt, error);
    }

  if (*uai == '\0')
    _sesame_import_warn_record (job, sesame_aaf_record_get_line (record),
                 _("the structure %s has no UAI; its people will be in no identifier file"), jointure);

  name = _sesame_import_first_value (record, "ENTStructureNomCourant");
  street = _sesame_import_value (record, "street");
  postal_code = _sesame_import_value (record, "postalCode");
  city = _sesame_import_value (record, "l");
  academy = _sesame_import_value (record, "ENTServAcAcademie");
  phone = _sesame_import_value (record, "telephoneNumber");

  stmt = _sesame_import_prepare (job,
                                 "SELECT uai, name, street, postal_code, city, academy, phone, deleted_at IS NOT NULL"
                                 " FROM establishments WHERE jointure = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, jointure, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      exists = TRUE;
      same = g_str_equal (_sesame_column_text (stmt, 0), uai) &&
             g_str_equal (_sesame_column_text (stmt, 1), name) &&
             g_str_equal (_sesame_column_text (stmt, 2), street) &&
             g_str_equal (_sesame_column_text (stmt, 3), postal_code) &&
             g_str_equal (_sesame_column_text (stmt, 4), city) &&
             g_str_equal (_sesame_column_text (stmt, 5), academy) &&
             g_str_equal (_sesame_column_text (stmt, 6), phone) &&
             sqlite3_column_int (stmt, 7) == 0;
    }
  sqlite3_reset (stmt);

  g_hash_table_insert (job->structure_uai, (gpointer) _sesame_import_keep_string (job, jointure), (gpointer) _sesame_import_keep_string (job, uai));
  if (same)
    return TRUE;

  stmt = _sesame_import_prepare (job,
                                 exists
                                 ? "UPDATE establishments SET uai = ?2, name = ?3, street = ?4, postal_code = ?5, city = ?6,"
                                   " academy = ?7, phone = ?8, deleted_at = NULL WHERE jointure = ?1"
                                 : "INSERT INTO establishments (jointure, uai, name, street, postal_code, city, academy, phone,"
                                   " first_seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, jointure, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, uai, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, street, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, postal_code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, city, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, academy, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, phone, -1, SQLITE_STATIC);
  if (!exists)
    sqlite3_bind_int64 (stmt, 9, job->now);
  return _sesame_store_step_done (job->store, stmt, error);
}

static gboolean
apply_subject (SesameImportJob       *job,
               const SesameAafRecord *record,
               const char            *code,
               GError               **error)
{
  const char *label = _sesame_import_first_value (record, "ENTLibelleMatiere");
  sqlite3_stmt *stmt;
  gboolean exists = FALSE, same = FALSE;

  job->summary->subjects++;

  if (sesame_aaf_record_get_operation (record) == SESAME_AAF_OPERATION_DELETE)
    {
      stmt = _sesame_import_prepare (job,
                                     "UPDATE subjects SET deleted_at = ?2 WHERE code = ?1 AND deleted_at IS NULL",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, job->now);
      return _sesame_store_step_done (job->store, stmt, error);
    }

  stmt = _sesame_import_prepare (job, "SELECT label, deleted_at IS NOT NULL FROM subjects WHERE code = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      exists = TRUE;
      same = g_str_equal (_sesame_column_text (stmt, 0), label) && sqlite3_column_int (stmt, 1) == 0;
    }
  sqlite3_reset (stmt);
  if (same)
    return TRUE;

  stmt = _sesame_import_prepare (job,
                                 exists ? "UPDATE subjects SET label = ?2, deleted_at = NULL WHERE code = ?1"
                                        : "INSERT INTO subjects (code, label) VALUES (?1, ?2)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, label, -1, SQLITE_STATIC);
  return _sesame_store_step_done (job->store, stmt, error);
}

static const char *
record_key (const SesameAafRecord *record,
            SesameAafKind          kind)
{
  const char *id = sesame_aaf_record_get_id (record);

  if (*id != '\0')
    return id;
  switch (kind)
    {
    case SESAME_AAF_KIND_ESTABLISHMENT:
      return _sesame_import_first_value (record, "ENTStructureJointure");
    case SESAME_AAF_KIND_SUBJECT:
      return _sesame_import_first_value (record, "ENTMatJointure");
    case SESAME_AAF_KIND_PUPIL:
    case SESAME_AAF_KIND_PARENT:
    case SESAME_AAF_KIND_STAFF:
    case SESAME_AAF_KIND_UNKNOWN:
    default:
      return _sesame_import_first_value (record, "ENTPersonJointure");
    }
}

/**
 * _sesame_import_apply_record:
 * @job: the import
 * @record: a record of the file being read
 * @error: return location for a #GError
 *
 * Writes what the record changes, inside the import's transaction.
 *
 * Returns: %FALSE if the store failed
 */
gboolean
_sesame_import_apply_record (SesameImportJob        *job,
                             const SesameAafRecord  *record,
                             GError                **error)
{
  SesameAafKind kind = sesame_aaf_record_get_kind (record);
  const char *key;
  gboolean ok;

  g_assert (job->file != NULL);

  if (kind == SESAME_AAF_KIND_UNKNOWN)
    {
      const char *category = sesame_aaf_record_get_category (record);

      /* The nomenclatures Sésame has no use for are skipped quietly. */
      if (!job->unknown_category_warned && !g_str_has_suffix (category, "EducNat"))
        {
          job->unknown_category_warned = TRUE;
          if (*category != '\0')
            _sesame_import_warn_record (job, sesame_aaf_record_get_line (record),
                         _("records of the category “%s” are not imported"), category);
          else
            _sesame_import_warn_record (job, sesame_aaf_record_get_line (record), "%s",
                         _("a record without category (categoriePersonne…) was skipped"));
        }
      return TRUE;
    }

  key = record_key (record, kind);
  if (*key == '\0')
    {
      _sesame_import_warn_record (job, sesame_aaf_record_get_line (record), _("a record without identifier was skipped"));
      return TRUE;
    }

  switch (kind)
    {
    case SESAME_AAF_KIND_ESTABLISHMENT:
      ok = apply_establishment (job, record, key, error);
      break;
    case SESAME_AAF_KIND_SUBJECT:
      ok = apply_subject (job, record, key, error);
      break;
    case SESAME_AAF_KIND_PUPIL:
    case SESAME_AAF_KIND_PARENT:
    case SESAME_AAF_KIND_STAFF:
      if (sesame_aaf_record_get_operation (record) == SESAME_AAF_OPERATION_DELETE)
        ok = _sesame_import_apply_person_delete (job, record, kind, key, error);
      else
        ok = _sesame_import_apply_person (job, record, kind, key, error);
      break;
    case SESAME_AAF_KIND_UNKNOWN:
    default:
      g_assert_not_reached ();
    }

  g_string_chunk_clear (job->scratch);
  return ok;
}

