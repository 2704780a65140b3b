/* sesame-server-jobs.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Imports sent by desks, run by the server (README.md, "The server").
 * Directory data is written by the server's imports alone, so a desk
 * joined to a server sends its AAF files here: they arrive in signed
 * pieces written straight to a folder beside the store, are checked
 * against the size and SHA-256 the desk announced, and the import runs on
 * a thread of its own with a connection of its own, acting as the
 * operator whose ticket the desk sent, with the same permission checks as
 * on a desk. The import commits whole or not at all, and its changes
 * reach every desk through the feed as the server's own changes do.
 *
 * Email campaigns (the Diffusion des identifiants) are sent the same way:
 * the desk sends what the campaign targets and its words, the server
 * records the campaign as the operator, with the same permission checks,
 * and sends it with its own mail server's settings on a thread of its
 * own; the campaign, where each recipient stands and every attempt reach
 * the desks through the feed. A stopped campaign resumes, its failed
 * sends retried, as on a desk of its own.
 *
 * A job's state lives in memory, and its requests are checked without
 * writing to the store (their nonces are kept here): a desk follows its
 * import while the import holds the store's writer lock. One import and
 * one campaign run at a time.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "sesame-server-jobs.h"

/* The size of the pieces a desk sends, the most one import may bring and
 * how many files: an academy's complete export is a few hundred files
 * and a few gigabytes at most. */
#define CHUNK_SIZE (4 * 1024 * 1024)
#define MAX_IMPORT_BYTES (G_GUINT64_CONSTANT (8) * 1024 * 1024 * 1024)
#define MAX_FILES 4096
/* A job whose files stop coming is dropped after this long; a finished
 * one is forgotten after this long too. */
#define IDLE_SECONDS (60 * 60)

typedef struct
{
  char      *name;
  char      *path;
  guint64    size;
  char      *sha256;
  guint64    written;
  GChecksum *checksum;
} JobFile;

static void
job_file_free (JobFile *file)
{
  g_free (file->name);
  g_free (file->path);
  g_free (file->sha256);
  g_clear_pointer (&file->checksum, g_checksum_free);
  g_free (file);
}

typedef struct
{
  gatomicrefcount     ref_count;
  SesameServerJobs   *jobs;
  char               *id;
  const char         *kind;
  char               *desk_id;
  char               *desk_name;
  char               *operator;
  char               *dir;
  GPtrArray          *files;
  char              **establishments;
  SesameImportFlags   flags;
  char               *campaign_id;  /* a campaign's */
  gboolean            resend_uncertain;
  gboolean            mail_report;
  SesameStore        *connection;   /* acting as the operator; the thread's once started */
  GCancellable       *cancellable;
  GThread            *thread;

  /* Under jobs->lock. */
  SesameSyncJobState  state;
  char               *phase;
  guint64             done;
  guint64             total;
  char               *message;
  char               *error_code;
  JsonNode           *result;
  gint64              touched_at;
} Job;

struct _SesameServerJobs
{
  SesameStore *store;     /* the main loop's, to read desks and tickets */
  char        *dir;
  GMutex       lock;
  GHashTable  *jobs;      /* id → Job */
  GHashTable  *nonces;    /* desk id + nonce → time */
};

static Job *
job_ref (Job *job)
{
  g_atomic_ref_count_inc (&job->ref_count);
  return job;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
job_unref (Job *job)
{
  if (!g_atomic_ref_count_dec (&job->ref_count))
    return;
  g_free (job->id);
  g_free (job->desk_id);
  g_free (job->desk_name);
  g_free (job->operator);
  if (job->dir != NULL)
    remove_tree (job->dir);
  g_free (job->dir);
  g_clear_pointer (&job->files, g_ptr_array_unref);
  g_strfreev (job->establishments);
  g_free (job->campaign_id);
  g_clear_object (&job->connection);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->thread, g_thread_unref);
  g_free (job->phase);
  g_free (job->message);
  g_free (job->error_code);
  g_clear_pointer (&job->result, json_node_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_unref)

/* Under jobs->lock. */
static void
job_set (Job        *job,
         const char *phase,
         const char *message)
{
  if (phase != NULL)
    {
      g_free (job->phase);
      job->phase = g_strdup (phase);
    }
  if (message != NULL)
    {
      g_free (job->message);
      job->message = g_strdup (message);
    }
  job->touched_at = g_get_monotonic_time ();
}

/**
 * sesame_server_jobs_new:
 * @store: the server's store
 * @error: return location for a #GError
 *
 * Prepares the folder where desks' files arrive, beside the store, and
 * empties it of what a previous run left.
 *
 * Returns: (transfer full): the server's jobs, or %NULL with @error set
 */
SesameServerJobs *
sesame_server_jobs_new (SesameStore  *store,
                        GError      **error)
{
  g_autofree char *parent = g_path_get_dirname (sesame_store_get_path (store));
  g_autofree char *base = g_path_get_basename (sesame_store_get_path (store));
  g_autofree char *name = g_strconcat (base, ".jobs", NULL);
  SesameServerJobs *jobs;

  jobs = g_new0 (SesameServerJobs, 1);
  jobs->store = g_object_ref (store);
  jobs->dir = g_build_filename (parent, name, NULL);
  g_mutex_init (&jobs->lock);
  jobs->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) job_unref);
  jobs->nonces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* The files of jobs a stopped server never ran. */
  remove_tree (jobs->dir);
  if (g_mkdir_with_parents (jobs->dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot make the folder %s where desks send their imports: %s"), jobs->dir, g_strerror (saved));
      sesame_server_jobs_free (jobs);
      return NULL;
    }
  return jobs;
}

/**
 * sesame_server_jobs_free:
 * @jobs: (transfer full): the server's jobs
 *
 * Cancels the jobs running, waits for them (an import cancelled changes
 * nothing) and removes their files.
 */
void
sesame_server_jobs_free (SesameServerJobs *jobs)
{
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  GHashTableIter iter;
  Job *job;

  if (jobs == NULL)
    return;
  g_mutex_lock (&jobs->lock);
  g_hash_table_iter_init (&iter, jobs->jobs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &job))
    if (job->thread != NULL)
      {
        g_cancellable_cancel (job->cancellable);
        g_ptr_array_add (threads, g_steal_pointer (&job->thread));
      }
  g_mutex_unlock (&jobs->lock);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));

  g_hash_table_unref (jobs->jobs);
  g_hash_table_unref (jobs->nonces);
  g_mutex_clear (&jobs->lock);
  if (jobs->dir != NULL)
    remove_tree (jobs->dir);
  g_free (jobs->dir);
  g_object_unref (jobs->store);
  g_free (jobs);
}

/* Forgets finished jobs and abandoned uploads, and nonces too old to be
 * accepted again anyway. Under jobs->lock. */
static void
prune (SesameServerJobs *jobs)
{
  gint64 now = g_get_monotonic_time ();
  gint64 wall = g_get_real_time () / G_USEC_PER_SEC;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, jobs->jobs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Job *job = value;

      if (job->state != SESAME_SYNC_JOB_RUNNING &&
          now - job->touched_at > (gint64) IDLE_SECONDS * G_USEC_PER_SEC)
        g_hash_table_iter_remove (&iter);
    }
  g_hash_table_iter_init (&iter, jobs->nonces);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (GPOINTER_TO_SIZE (value) + 2 * SESAME_SYNC_REQUEST_WINDOW_SECONDS < (gsize) wall)
      g_hash_table_iter_remove (&iter);
}

static gboolean
refuse (SesameServerCall *call,
        const char       *message)
{
  g_info ("Refused %s %s: %s", call->method, call->signed_path, message);
  sesame_server_call_reply_error (call, SOUP_STATUS_UNAUTHORIZED, NULL, message);
  return FALSE;
}

/* The same checks as sesame_sync_desks_verify_request(), the nonce kept
 * in memory: a job's requests never wait for the store's writer, which
 * the import holds. Replaying one is refused all the same. */
static SesameSyncDesk *
authenticate (SesameServerJobs *jobs,
              SesameServerCall *call)
{
  g_autoptr(SesameSyncDesk) desk = NULL;
  g_autofree guint8 *raw_signature = NULL;
  g_autofree char *message = NULL;
  g_autofree char *key = NULL;
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  gsize signature_length = 0;
  size_t key_length = 0;
  gsize body_length = 0;
  gconstpointer body = call->body != NULL ? g_bytes_get_data (call->body, &body_length) : NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 time;
  char *end = NULL;
  gboolean fresh;

  if (call->desk_id == NULL || call->time == NULL || call->nonce == NULL || call->signature == NULL)
    return refuse (call, _("The request is not signed by a desk.")), NULL;
  desk = sesame_sync_desks_lookup (call->store, call->desk_id, NULL);
  if (desk == NULL || desk->public_key == NULL ||
      sodium_hex2bin (public_key, sizeof public_key, desk->public_key, strlen (desk->public_key),
                      NULL, &key_length, NULL) != 0 || key_length != sizeof public_key)
    return refuse (call, _("This desk is not enrolled on the server.")), NULL;
  if (desk->revoked_at != 0)
    return refuse (call, _("This desk was revoked by the server's administrator: it must be enrolled again.")), NULL;
  time = g_ascii_strtoll (call->time, &end, 10);
  if (end == call->time || *end != '\0' ||
      time < now - SESAME_SYNC_REQUEST_WINDOW_SECONDS || time > now + SESAME_SYNC_REQUEST_WINDOW_SECONDS)
    return refuse (call, _("The desk's clock and the server's differ by more than five minutes: set the desk's clock right.")), NULL;
  if (strlen (call->nonce) < 16 || strlen (call->nonce) > 64)
    return refuse (call, _("The request's nonce is malformed.")), NULL;
  raw_signature = g_base64_decode (call->signature, &signature_length);
  message = sesame_sync_desks_request_message (call->method, call->signed_path, call->desk_id, time,
                                               call->nonce, body, body_length);
  if (signature_length != crypto_sign_BYTES ||
      crypto_sign_verify_detached (raw_signature, (const guint8 *) message, strlen (message), public_key) != 0)
    return refuse (call, _("The request's signature is wrong.")), NULL;

  key = g_strconcat (call->desk_id, " ", call->nonce, NULL);
  g_mutex_lock (&jobs->lock);
  prune (jobs);
  fresh = !g_hash_table_contains (jobs->nonces, key);
  if (fresh)
    g_hash_table_insert (jobs->nonces, g_steal_pointer (&key), GSIZE_TO_POINTER ((gsize) MAX (now, time)));
  g_mutex_unlock (&jobs->lock);
  if (!fresh)
    return refuse (call, _("This request was already received once: a request is never played twice.")), NULL;
  return g_steal_pointer (&desk);
}

static void
add_job_members (JsonBuilder *builder,
                 Job         *job)
{
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, job->id);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, job->kind);
  json_builder_set_member_name (builder, "operator");
  json_builder_add_string_value (builder, job->operator);
  json_builder_set_member_name (builder, "desk");
  json_builder_add_string_value (builder, job->desk_name);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, sesame_sync_job_state_to_token (job->state));
  json_builder_set_member_name (builder, "phase");
  json_builder_add_string_value (builder, job->phase);
  json_builder_set_member_name (builder, "done");
  json_builder_add_int_value (builder, (gint64) job->done);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, (gint64) job->total);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, job->message);
  json_builder_set_member_name (builder, "error_code");
  json_builder_add_string_value (builder, job->error_code);
  if (job->campaign_id != NULL)
    {
      json_builder_set_member_name (builder, "campaign_id");
      json_builder_add_string_value (builder, job->campaign_id);
    }
  if (job->result != NULL)
    {
      json_builder_set_member_name (builder, "result");
      json_builder_add_value (builder, json_node_copy (job->result));
    }
}

static void
reply_job (SesameServerJobs *jobs,
           SesameServerCall *call,
           Job              *job)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  g_mutex_lock (&jobs->lock);
  add_job_members (builder, job);
  g_mutex_unlock (&jobs->lock);
  json_builder_set_member_name (builder, "chunk_size");
  json_builder_add_int_value (builder, CHUNK_SIZE);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sesame_server_call_reply_json (call, SOUP_STATUS_OK, root);
}

/* The job of @kind running, if one is. Under jobs->lock. */
static Job *
running_job (SesameServerJobs *jobs,
             const char       *kind)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, jobs->jobs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Job *) value)->state == SESAME_SYNC_JOB_RUNNING && g_str_equal (((Job *) value)->kind, kind))
      return value;
  return NULL;
}

static Job *
running_import (SesameServerJobs *jobs)
{
  return running_job (jobs, "import");
}

static void
refuse_busy (SesameServerCall *call,
             Job              *other)
{
  g_autofree char *message = NULL;

  if (g_str_equal (other->kind, "campaign"))
    message = g_strdup_printf (_("Another email campaign is being sent by the server (started by %s on desk “%s”): "
                                 "only one is sent at a time. Try again when it is over."),
                               other->operator, other->desk_name);
  else
    message = g_strdup_printf (_("Another import is running on the server (started by %s on desk “%s”): "
                                 "only one runs at a time. Try again when it is over."),
                               other->operator, other->desk_name);
  sesame_server_call_reply_error (call, SOUP_STATUS_CONFLICT, "busy", message);
}

/* A file's name as the import reads it (kind and chunk are in it), and
 * nothing that leaves the job's folder. */
static gboolean
name_is_safe (const char *name)
{
  return name != NULL && name[0] != '\0' && name[0] != '.' && strchr (name, '/') == NULL &&
         strchr (name, '\\') == NULL && strlen (name) <= 255 && g_utf8_validate (name, -1, NULL);
}

static gboolean
is_sha256 (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *c = text; *c != '\0'; c++)
    if (!g_ascii_isxdigit (*c))
      return FALSE;
  return TRUE;
}

/* A connection of the job's own, acting as the operator who signed in on
 * the desk and checked as on a desk for @permission; or NULL, the call
 * answered with why @what (said in the log) was refused. */
static SesameStore *
act_as_operator (SesameServerCall  *call,
                 SesameSyncDesk    *desk,
                 JsonObject        *object,
                 SesamePermission   permission,
                 const char        *what,
                 char             **login)
{
  g_autoptr(SesameStore) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = sesame_store_dup (call->store, &error);
  if (connection == NULL ||
      (*login = sesame_sync_jobs_act_as (connection, desk->id,
                                         json_object_get_string_member_with_default (object, "ticket", NULL),
                                         &error)) == NULL ||
      !sesame_store_operator_check_permission (connection, permission, NULL, &error))
    {
      g_message ("Refused %s from desk “%s”: %s", what, desk->name, error->message);
      sesame_server_call_reply_error (call, sesame_server_status_for (error), NULL, error->message);
      return NULL;
    }
  return g_steal_pointer (&connection);
}

/* A new job of @kind (a constant) that @desk's @operator (taken) asked for. */
static Job *
job_new (SesameServerJobs *jobs,
         const char       *kind,
         SesameSyncDesk   *desk,
         char             *operator)
{
  Job *job = g_new0 (Job, 1);

  g_atomic_ref_count_init (&job->ref_count);
  job->jobs = jobs;
  job->id = g_uuid_string_random ();
  job->kind = kind;
  job->desk_id = g_strdup (desk->id);
  job->desk_name = g_strdup (desk->name);
  job->operator = operator;
  return job;
}

/* POST /api/v1/imports: the files to come, checked, and the operator's
 * permission, checked now so that nothing is sent in vain. */
static void
create_import (SesameServerJobs *jobs,
               SesameServerCall *call,
               SesameSyncDesk   *desk)
{
  g_autoptr(JsonObject) object = sesame_server_call_parse_object (call);
  g_autoptr(SesameStore) connection = NULL;
  g_autoptr(Job) job = NULL;
  g_autofree char *login = NULL;
  JsonArray *files;
  JsonArray *establishments;
  guint64 total = 0;
  Job *other;

  if (object == NULL)
    return;
  files = json_object_has_member (object, "files") ? json_object_get_array_member (object, "files") : NULL;
  if (files == NULL || json_array_get_length (files) == 0 || json_array_get_length (files) > MAX_FILES)
    {
      sesame_server_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, NULL,
                                      _("An import names its files, one at least and 4096 at most."));
      return;
    }

  connection = act_as_operator (call, desk, object, SESAME_PERMISSION_IMPORT, "an import", &login);
  if (connection == NULL)
    return;

  job = job_new (jobs, "import", desk, g_steal_pointer (&login));
  job->connection = g_steal_pointer (&connection);
  job->cancellable = g_cancellable_new ();
  job->state = SESAME_SYNC_JOB_UPLOADING;
  job->phase = g_strdup ("upload");
  job->message = g_strdup ("");
  job->error_code = g_strdup ("");
  job->files = g_ptr_array_new_with_free_func ((GDestroyNotify) job_file_free);
  job->dir = g_build_filename (jobs->dir, job->id, NULL);
  if (json_object_get_boolean_member_with_default (object, "dry_run", FALSE))
    job->flags |= SESAME_IMPORT_FLAGS_DRY_RUN;
  if (json_object_get_boolean_member_with_default (object, "accept_departures", FALSE))
    job->flags |= SESAME_IMPORT_FLAGS_ACCEPT_DEPARTURES;
  establishments = json_object_has_member (object, "establishments")
                   ? json_object_get_array_member (object, "establishments") : NULL;
  job->establishments = g_new0 (char *, (establishments != NULL ? json_array_get_length (establishments) : 0) + 1);
  for (guint i = 0; establishments != NULL && i < json_array_get_length (establishments); i++)
    job->establishments[i] = g_strdup (json_array_get_string_element (establishments, i));

  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      JsonObject *item = json_array_get_object_element (files, i);
      const char *name = item != NULL ? json_object_get_string_member_with_default (item, "name", NULL) : NULL;
      const char *sha256 = item != NULL ? json_object_get_string_member_with_default (item, "sha256", NULL) : NULL;
      gint64 size = item != NULL ? json_object_get_int_member_with_default (item, "size", -1) : -1;
      g_autofree char *folder = NULL;
      JobFile *file;

      if (!name_is_safe (name) || !is_sha256 (sha256) || size < 0)
        {
          g_autofree char *message = g_strdup_printf (_("File %u of the import has no name, size or SHA-256 a server can take."), i + 1);

          sesame_server_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, NULL, message);
          return;
        }
      total += (guint64) size;
      if (total > MAX_IMPORT_BYTES)
        {
          sesame_server_call_reply_error (call, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL,
                                          _("The import's files weigh more than the 8 GB a server takes at once: "
                                            "import them in several times."));
          return;
        }
      /* Each in a folder of its own: two files of one name from two
       * folders stay two files. */
      folder = g_strdup_printf ("%s/%04u", job->dir, i);
      if (g_mkdir_with_parents (folder, 0700) != 0)
        {
          sesame_server_call_reply_error (call, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL,
                                          _("The server cannot write the import's files."));
          return;
        }
      file = g_new0 (JobFile, 1);
      file->name = g_strdup (name);
      file->path = g_build_filename (folder, name, NULL);
      file->size = (guint64) size;
      file->sha256 = g_ascii_strdown (sha256, -1);
      file->checksum = g_checksum_new (G_CHECKSUM_SHA256);
      g_ptr_array_add (job->files, file);
    }
  job->total = total;
  job->touched_at = g_get_monotonic_time ();

  g_mutex_lock (&jobs->lock);
  other = running_import (jobs);
  if (other != NULL)
    {
      refuse_busy (call, other);
      g_mutex_unlock (&jobs->lock);
      return;
    }
  g_hash_table_insert (jobs->jobs, job->id, job_ref (job));
  g_mutex_unlock (&jobs->lock);
  g_message ("Import %s created by %s on desk “%s”: %u files, %" G_GUINT64_FORMAT " bytes",
             job->id, job->operator, job->desk_name, job->files->len, total);
  reply_job (jobs, call, job);
}

/* POST /api/v1/jobs/ID/files/N?offset=O: a piece of a file, in order. */
static void
receive_piece (SesameServerJobs *jobs,
               SesameServerCall *call,
               Job              *job,
               const char       *index_text)
{
  const char *offset_text = call->query != NULL ? g_hash_table_lookup (call->query, "offset") : NULL;
  guint64 index = 0;
  guint64 offset = 0;
  gsize length = 0;
  gconstpointer data = call->body != NULL ? g_bytes_get_data (call->body, &length) : NULL;
  JobFile *file;
  FILE *out;
  gboolean written;

  if (!g_ascii_string_to_unsigned (index_text, 10, 0, job->files->len - 1, &index, NULL) ||
      offset_text == NULL || !g_ascii_string_to_unsigned (offset_text, 10, 0, G_MAXUINT64, &offset, NULL))
    {
      sesame_server_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, NULL,
                                      _("A piece of a file names the file by its number in the import and its offset."));
      return;
    }
  g_mutex_lock (&jobs->lock);
  if (job->state != SESAME_SYNC_JOB_UPLOADING)
    {
      g_mutex_unlock (&jobs->lock);
      sesame_server_call_reply_error (call, SOUP_STATUS_CONFLICT, NULL, _("This import no longer takes files."));
      return;
    }
  file = g_ptr_array_index (job->files, index);
  if (offset != file->written || length > CHUNK_SIZE || file->written + length > file->size)
    {
      g_mutex_unlock (&jobs->lock);
      sesame_server_call_reply_error (call, SOUP_STATUS_CONFLICT, NULL,
                                      _("This piece does not follow the file's last one, or goes past its announced size: "
                                        "send the import again."));
      return;
    }
  out = fopen (file->path, offset == 0 ? "wb" : "ab");
  written = out != NULL && (length == 0 || fwrite (data, 1, length, out) == length);
  if (out != NULL && fclose (out) != 0)
    written = FALSE;
  if (!written)
    {
      g_mutex_unlock (&jobs->lock);
      g_warning ("Cannot write %s: %s", file->path, g_strerror (errno));
      sesame_server_call_reply_error (call, SOUP_STATUS_INSUFFICIENT_STORAGE, NULL,
                                      _("The server cannot write the import's files: is its disk full?"));
      return;
    }
  g_checksum_update (file->checksum, data, length);
  file->written += length;
  job->done += length;
  job->touched_at = g_get_monotonic_time ();
  g_mutex_unlock (&jobs->lock);
  reply_job (jobs, call, job);
}

static void
add_count (JsonBuilder *builder,
           const char  *name,
           guint        value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
on_import_progress (guint64  records,
                    guint64  bytes_read,
                    guint64  bytes_total,
                    gpointer user_data)
{
  Job *job = user_data;
  g_autofree char *message = NULL;

  /* TRANSLATORS: the progress of an import run by the server */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu record read", "%lu records read", (gulong) records),
                             (gulong) records);
  g_mutex_lock (&job->jobs->lock);
  job->done = bytes_read;
  job->total = bytes_total;
  job_set (job, NULL, message);
  g_mutex_unlock (&job->jobs->lock);
}

static const char *
error_code_for (const GError *error)
{
  if (g_error_matches (error, SESAME_IMPORT_ERROR, SESAME_IMPORT_ERROR_DEPARTURES))
    return "departures";
  if (g_error_matches (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED))
    return "permission";
  if (g_error_matches (error, SESAME_ERROR, SESAME_ERROR_INVALID))
    return "input";
  return "failed";
}

static gpointer
run_import (gpointer user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  for (guint i = 0; i < job->files->len; i++)
    g_ptr_array_add (paths, ((JobFile *) g_ptr_array_index (job->files, i))->path);
  g_ptr_array_add (paths, NULL);

  summary = sesame_import_run (job->connection, (const char * const *) paths->pdata,
                               job->establishments[0] != NULL ? (const char * const *) job->establishments : NULL,
                               job->flags, on_import_progress, job, job->cancellable, &error);
  if (summary != NULL)
    description = sesame_import_summary_describe (summary);

  g_mutex_lock (&job->jobs->lock);
  if (summary != NULL)
    {
      job->state = SESAME_SYNC_JOB_DONE;
      job->result = sesame_import_summary_to_json (summary);
      job->done = job->total;
      job_set (job, "import", description);
      g_message ("Import %s by %s on desk “%s” done", job->id, job->operator, job->desk_name);
    }
  else if (g_error_matches (error, SESAME_ERROR, SESAME_ERROR_CANCELLED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      job->state = SESAME_SYNC_JOB_CANCELLED;
      job_set (job, "import", _("The import was cancelled on the server: nothing was changed."));
      g_message ("Import %s by %s on desk “%s” cancelled", job->id, job->operator, job->desk_name);
    }
  else
    {
      job->state = SESAME_SYNC_JOB_FAILED;
      g_free (job->error_code);
      job->error_code = g_strdup (error_code_for (error));
      job_set (job, "import", error->message);
      g_message ("Import %s by %s on desk “%s” failed: %s", job->id, job->operator, job->desk_name, error->message);
    }
  g_mutex_unlock (&job->jobs->lock);

  /* Its files and its connection are no longer needed. */
  g_clear_object (&job->connection);
  if (job->dir != NULL)
    remove_tree (job->dir);
  return NULL;
}

/* POST /api/v1/jobs/ID/start: every file whole, then the import runs. */
static void
start_import (SesameServerJobs *jobs,
              SesameServerCall *call,
              Job              *job)
{
  Job *other;

  g_mutex_lock (&jobs->lock);
  if (job->state != SESAME_SYNC_JOB_UPLOADING)
    {
      g_mutex_unlock (&jobs->lock);
      sesame_server_call_reply_error (call, SOUP_STATUS_CONFLICT, NULL, _("This import was already started or cancelled."));
      return;
    }
  for (guint i = 0; i < job->files->len; i++)
    {
      JobFile *file = g_ptr_array_index (job->files, i);

      if (file->written != file->size || !g_str_equal (g_checksum_get_string (file->checksum), file->sha256))
        {
          g_autofree char *message = NULL;

          g_mutex_unlock (&jobs->lock);
          message = g_strdup_printf (_("The file %s reached the server incomplete or altered "
                                       "(%lu bytes of %lu, or another SHA-256): send the import again."),
                                     file->name, (gulong) file->written, (gulong) file->size);
          sesame_server_call_reply_error (call, SOUP_STATUS_CONFLICT, NULL, message);
          return;
        }
    }
  other = running_import (jobs);
  if (other != NULL)
    {
      refuse_busy (call, other);
      g_mutex_unlock (&jobs->lock);
      return;
    }
  job->state = SESAME_SYNC_JOB_RUNNING;
  job->done = 0;
  job_set (job, "import", _("Reading the files…"));
  /* The import writes with its own connection, on its own thread. */
  job->thread = g_thread_new ("sesame-import", run_import, job_ref (job));
  g_mutex_unlock (&jobs->lock);
  g_message ("Import %s by %s on desk “%s” started", job->id, job->operator, job->desk_name);
  reply_job (jobs, call, job);
}

/* Campaigns */

static JsonNode *
campaign_result (Job                        *job,
                 const SesameCampaignCounts *counts,
                 SesameCampaignState         state,
                 const char                 *report_error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "campaign_id");
  json_builder_add_string_value (builder, job->campaign_id);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, sesame_campaign_state_to_token (state));
  add_count (builder, "total", counts->total);
  for (SesameRecipientState s = SESAME_RECIPIENT_WAITING; s < SESAME_N_RECIPIENT_STATES; s++)
    {
      g_autofree char *name = g_strdelimit (g_strdup (sesame_campaign_recipient_state_to_token (s)), "-", '_');

      add_count (builder, name, counts->counts[s]);
    }
  json_builder_set_member_name (builder, "report_error");
  json_builder_add_string_value (builder, report_error != NULL ? report_error : "");
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Under jobs->lock. */
static void
campaign_set_counts (Job                        *job,
                     const SesameCampaignCounts *counts)
{
  guint remaining = counts->counts[SESAME_RECIPIENT_WAITING] + counts->counts[SESAME_RECIPIENT_SENDING];
  guint with_address = counts->total - counts->counts[SESAME_RECIPIENT_NO_ADDRESS];
  g_autofree char *message = NULL;

  job->total = with_address;
  job->done = with_address >= remaining ? with_address - remaining : 0;
  /* TRANSLATORS: the progress of an email campaign sent by the server */
  message = g_strdup_printf (_("Sent %u, failed %u, remaining %u"),
                             counts->counts[SESAME_RECIPIENT_SENT], counts->counts[SESAME_RECIPIENT_FAILED], remaining);
  job_set (job, NULL, message);
}

static void
on_campaign_progress (const SesameCampaignCounts *counts,
                      gpointer                    user_data)
{
  Job *job = user_data;

  g_mutex_lock (&job->jobs->lock);
  campaign_set_counts (job, counts);
  g_mutex_unlock (&job->jobs->lock);
}

static gpointer
run_campaign (gpointer user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(SesameCampaignSender) sender = NULL;
  g_autoptr(SesameCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;
  SesameCampaignState state = SESAME_CAMPAIGN_STATE_INTERRUPTED;
  gboolean ok;

  /* The server's own mail settings and password: the store's. */
  sender = sesame_campaign_sender_new (job->connection, job->campaign_id);
  sesame_campaign_sender_set_resend_uncertain (sender, job->resend_uncertain);
  sesame_campaign_sender_set_mail_report (sender, job->mail_report);
  ok = sesame_campaign_sender_run (sender, on_campaign_progress, job, job->cancellable, &error);
  campaign = sesame_campaigns_find (job->connection, job->campaign_id, NULL);
  if (campaign != NULL)
    state = sesame_campaign_get_state (campaign);

  g_mutex_lock (&job->jobs->lock);
  campaign_set_counts (job, sesame_campaign_sender_get_counts (sender));
  g_clear_pointer (&job->result, json_node_unref);
  job->result = campaign_result (job, sesame_campaign_sender_get_counts (sender), state,
                                 sesame_campaign_sender_get_report_error (sender));
  if (ok)
    {
      job->state = SESAME_SYNC_JOB_DONE;
      g_message ("Campaign %s by %s on desk “%s” sent: %s", job->campaign_id, job->operator, job->desk_name, job->message);
    }
  else if (g_error_matches (error, SESAME_ERROR, SESAME_ERROR_CANCELLED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      job->state = SESAME_SYNC_JOB_CANCELLED;
      job_set (job, NULL, _("The campaign was stopped on the server: the messages sent stay sent, "
                            "and resuming it sends the others."));
      g_message ("Campaign %s by %s on desk “%s” cancelled", job->campaign_id, job->operator, job->desk_name);
    }
  else
    {
      job->state = SESAME_SYNC_JOB_FAILED;
      g_free (job->error_code);
      job->error_code = g_strdup (error->domain == SESAME_SMTP_ERROR ? "mail" : error_code_for (error));
      job_set (job, NULL, error->message);
      g_message ("Campaign %s by %s on desk “%s” stopped: %s", job->campaign_id, job->operator, job->desk_name,
                 error->message);
    }
  g_mutex_unlock (&job->jobs->lock);
  g_clear_object (&sender);
  g_clear_object (&job->connection);
  return NULL;
}

static gboolean
read_campaign (SesameStore  *connection,
               JsonObject   *object,
               SesameCampaign *campaign,
               GError      **error)
{
  JsonArray *profiles = json_object_has_member (object, "profiles") &&
                        JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "profiles"))
                        ? json_object_get_array_member (object, "profiles") : NULL;
  JsonArray *classes = json_object_has_member (object, "classes") &&
                       JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "classes"))
                       ? json_object_get_array_member (object, "classes") : NULL;
  g_autoptr(GPtrArray) class_names = g_ptr_array_new ();
  const char *subject = json_object_get_string_member_with_default (object, "subject", "");
  guint bits = 0;

  for (guint i = 0; profiles != NULL && i < json_array_get_length (profiles); i++)
    {
      const char *token = json_node_get_string (json_array_get_element (profiles, i));
      SesameProfile profile = token != NULL ? sesame_profile_from_token (token) : SESAME_PROFILE_NONE;

      if (profile == SESAME_PROFILE_NONE)
        {
          g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID, _("“%s” is not a profile a campaign can target."),
                       token != NULL ? token : "");
          return FALSE;
        }
      bits |= SESAME_PROFILE_BIT (profile);
    }
  for (guint i = 0; classes != NULL && i < json_array_get_length (classes); i++)
    {
      const char *name = json_node_get_string (json_array_get_element (classes, i));

      if (name != NULL)
        g_ptr_array_add (class_names, (gpointer) name);
    }
  g_ptr_array_add (class_names, NULL);

  sesame_campaign_set_profiles (campaign, bits);
  sesame_campaign_set_classes (campaign, (const char * const *) class_names->pdata);
  sesame_campaign_set_establishment (campaign, json_object_get_string_member_with_default (object, "establishment", ""));
  sesame_campaign_set_free_text (campaign, json_object_get_string_member_with_default (object, "free_text", ""));
  if (subject == NULL || subject[0] == '\0')
    {
      g_autofree char *fallback = sesame_campaign_message_dup_default_subject (connection, campaign);

      sesame_campaign_set_subject (campaign, fallback);
    }
  else
    sesame_campaign_set_subject (campaign, subject);
  return sesame_campaigns_check (connection, campaign, error);
}

/* POST /api/v1/campaigns: a campaign to record and send, or one to
 * resume ("campaign_id"), as the operator the ticket names. */
static void
create_campaign (SesameServerJobs *jobs,
                 SesameServerCall *call,
                 SesameSyncDesk   *desk)
{
  g_autoptr(JsonObject) object = sesame_server_call_parse_object (call);
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) connection = NULL;
  g_autoptr(SesameCampaign) campaign = NULL;
  g_autoptr(Job) job = NULL;
  g_autofree char *login = NULL;
  const char *resume;
  Job *other;
  gboolean ok;

  if (object == NULL)
    return;
  resume = json_object_get_string_member_with_default (object, "campaign_id", "");

  connection = act_as_operator (call, desk, object, SESAME_PERMISSION_SEND_MAIL, "a campaign", &login);
  if (connection == NULL)
    return;

  job = job_new (jobs, "campaign", desk, g_steal_pointer (&login));
  job->cancellable = g_cancellable_new ();
  job->state = SESAME_SYNC_JOB_RUNNING;
  job->phase = g_strdup ("send");
  job->message = g_strdup (_("Preparing the campaign…"));
  job->error_code = g_strdup ("");
  job->resend_uncertain = json_object_get_boolean_member_with_default (object, "resend_uncertain", FALSE);
  job->mail_report = json_object_get_boolean_member_with_default (object, "mail_report", TRUE);
  job->touched_at = g_get_monotonic_time ();

  /* One at a time: the job holds its place while the campaign is made. */
  g_mutex_lock (&jobs->lock);
  prune (jobs);
  other = running_job (jobs, "campaign");
  if (other != NULL)
    {
      refuse_busy (call, other);
      g_mutex_unlock (&jobs->lock);
      return;
    }
  g_hash_table_insert (jobs->jobs, job->id, job_ref (job));
  g_mutex_unlock (&jobs->lock);

  if (resume[0] != '\0')
    {
      campaign = sesame_campaigns_find (connection, resume, &error);
      ok = campaign != NULL;
    }
  else
    {
      campaign = sesame_campaign_new ();
      ok = read_campaign (connection, object, campaign, &error) &&
           sesame_campaigns_create (connection, campaign, &error);
    }
  if (!ok)
    {
      g_message ("Refused a campaign from %s on desk “%s”: %s", job->operator, desk->name, error->message);
      g_mutex_lock (&jobs->lock);
      g_hash_table_remove (jobs->jobs, job->id);
      g_mutex_unlock (&jobs->lock);
      sesame_server_call_reply_error (call, sesame_server_status_for (error), NULL, error->message);
      return;
    }

  g_mutex_lock (&jobs->lock);
  job->campaign_id = g_strdup (sesame_campaign_get_id (campaign));
  job->connection = g_steal_pointer (&connection);
  campaign_set_counts (job, sesame_campaign_get_counts (campaign));
  job_set (job, NULL, _("Connecting to the mail server…"));
  /* The campaign sends with its own connection, on its own thread. */
  job->thread = g_thread_new ("sesame-campaign", run_campaign, job_ref (job));
  g_mutex_unlock (&jobs->lock);
  g_message ("Campaign %s %s by %s on desk “%s”", job->campaign_id, resume[0] != '\0' ? "resumed" : "started",
             job->operator, job->desk_name);
  reply_job (jobs, call, job);
}

static void
cancel_job (SesameServerJobs *jobs,
            SesameServerCall *call,
            Job              *job)
{
  gboolean before_start = FALSE;

  g_mutex_lock (&jobs->lock);
  if (job->state == SESAME_SYNC_JOB_UPLOADING)
    {
      job->state = SESAME_SYNC_JOB_CANCELLED;
      job_set (job, NULL, _("The import was cancelled before it started: nothing was changed."));
      g_clear_object (&job->connection);
      before_start = TRUE;
    }
  g_cancellable_cancel (job->cancellable);
  g_mutex_unlock (&jobs->lock);
  /* A running import stops at its next record and rolls back. */
  if (before_start && job->dir != NULL)
    remove_tree (job->dir);
  reply_job (jobs, call, job);
}

/**
 * sesame_server_jobs_handle:
 * @jobs: the server's jobs
 * @call: a request under /api/v1/ that no other handler took
 *
 * Answers the requests about jobs: POST /api/v1/imports, POST
 * /api/v1/campaigns, and for a job ID: GET /api/v1/jobs/ID, POST /api/v1/jobs/ID/files/N?offset=O (a piece
 * of file N), POST /api/v1/jobs/ID/start, POST /api/v1/jobs/ID/cancel.
 * A desk sees its own jobs only. Runs on the API's worker threads, and
 * never waits for the store's writer but to record a campaign.
 *
 * Returns: %TRUE if @call was one of these, and is answered
 */
gboolean
sesame_server_jobs_handle (SesameServerJobs *jobs,
                           SesameServerCall *call)
{
  g_autoptr(SesameSyncDesk) desk = NULL;
  g_autoptr(Job) job = NULL;
  g_auto(GStrv) parts = NULL;
  gboolean get = g_str_equal (call->method, "GET");
  gboolean post = g_str_equal (call->method, "POST");
  guint n;

  if (post && g_str_equal (call->path, "/api/v1/imports"))
    {
      if ((desk = authenticate (jobs, call)) != NULL)
        create_import (jobs, call, desk);
      return TRUE;
    }
  if (post && g_str_equal (call->path, "/api/v1/campaigns"))
    {
      if ((desk = authenticate (jobs, call)) != NULL)
        create_campaign (jobs, call, desk);
      return TRUE;
    }
  if (!g_str_has_prefix (call->path, "/api/v1/jobs/"))
    return FALSE;

  parts = g_strsplit (call->path + strlen ("/api/v1/jobs/"), "/", -1);
  n = g_strv_length (parts);
  if (!((get && n == 1) ||
        (post && n == 2 && (g_str_equal (parts[1], "start") || g_str_equal (parts[1], "cancel"))) ||
        (post && n == 3 && g_str_equal (parts[1], "files"))))
    return FALSE;

  if ((desk = authenticate (jobs, call)) == NULL)
    return TRUE;
  g_mutex_lock (&jobs->lock);
  job = g_hash_table_lookup (jobs->jobs, parts[0]);
  if (job != NULL)
    job_ref (job);
  g_mutex_unlock (&jobs->lock);
  if (job == NULL || !g_str_equal (job->desk_id, desk->id))
    {
      sesame_server_call_reply_error (call, SOUP_STATUS_NOT_FOUND, NULL,
                                      _("This desk has no such job on the server: it may have ended over an hour ago, "
                                        "or the server restarted."));
      return TRUE;
    }

  if (get)
    reply_job (jobs, call, job);
  else if (!g_str_equal (job->kind, "import") && !g_str_equal (parts[1], "cancel"))
    sesame_server_call_reply_error (call, SOUP_STATUS_CONFLICT, NULL,
                                    _("A campaign takes no files and starts when it is sent."));
  else if (n == 3)
    receive_piece (jobs, call, job, parts[2]);
  else if (g_str_equal (parts[1], "start"))
    start_import (jobs, call, job);
  else
    cancel_job (jobs, call, job);
  return TRUE;
}
