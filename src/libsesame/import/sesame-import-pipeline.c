/* sesame-import-pipeline.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One thread reads and parses the XML while the calling thread writes to
 * the store. Records travel between them in batches through a fixed pool,
 * so that memory does not grow with the files and the threads meet once per
 * batch, not once per record.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-import"

#include <glib/gi18n-lib.h>

#include "sesame-import-private.h"

/* Records between two progress reports. */
#define PROGRESS_EVERY 1000
/* Records travel in batches: one handoff between the threads per batch. */
#define BATCH_SIZE 64
#define POOL_BATCHES 8

typedef enum
{
  ITEM_RECORDS,
  ITEM_WARNING,
  ITEM_FILE_START,
  ITEM_FILE_END,
  ITEM_DONE,
} ItemType;

typedef struct
{
  ItemType         type;
  guint            file;
  guint64          bytes;                    /* read so far in the file */
  SesameAafRecord *records[BATCH_SIZE];      /* pooled batches only */
  guint            n_records;
  guint            line;
  char            *text;
  GError          *error;
  gboolean         pooled;
} Item;

typedef struct
{
  SesameImportJob *job;
  GAsyncQueue     *full;
  GAsyncQueue     *empty;
  Item            *batch;     /* being filled by the reading thread */
  guint            file;
  guint64          bytes;
  gint             stop;      /* atomic: the store side gave up */
} Pipeline;

static Item *
item_new (ItemType type,
          guint    file)
{
  Item *item = g_new0 (Item, 1);

  item->type = type;
  item->file = file;
  return item;
}

static void
item_free (Item *item)
{
  for (guint i = 0; item->pooled && i < BATCH_SIZE; i++)
    sesame_aaf_record_free (item->records[i]);
  g_free (item->text);
  g_clear_error (&item->error);
  g_free (item);
}

/* Hands the batch being filled to the store side. */
static void
flush_batch (Pipeline *pipeline)
{
  if (pipeline->batch == NULL)
    return;
  g_async_queue_push (pipeline->full, g_steal_pointer (&pipeline->batch));
}

static gboolean
pipe_record (const SesameAafRecord *record,
             gpointer               user_data,
             GError               **error)
{
  Pipeline *pipeline = user_data;
  Item *batch;

  if (g_atomic_int_get (&pipeline->stop))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_CANCELLED, _("The import was stopped."));
      return FALSE;
    }

  if (pipeline->batch == NULL)
    {
      /* Waits while the store side is behind: memory stays bounded. */
      pipeline->batch = g_async_queue_pop (pipeline->empty);
      pipeline->batch->file = pipeline->file;
      pipeline->batch->n_records = 0;
    }
  batch = pipeline->batch;
  sesame_aaf_record_copy_into (batch->records[batch->n_records++], record);
  batch->bytes = pipeline->bytes;
  if (batch->n_records == BATCH_SIZE)
    flush_batch (pipeline);
  return TRUE;
}

static void
pipe_warning (const char *file_name,
              guint       line,
              const char *message,
              gpointer    user_data)
{
  Pipeline *pipeline = user_data;
  Item *item = item_new (ITEM_WARNING, pipeline->file);

  /* After the records read before it. */
  flush_batch (pipeline);
  item->line = line;
  item->text = g_strdup (message);
  g_async_queue_push (pipeline->full, item);
}

static gpointer
read_files (gpointer user_data)
{
  Pipeline *pipeline = user_data;
  SesameImportJob *job = pipeline->job;

  for (guint i = 0; i < job->files->len && !g_atomic_int_get (&pipeline->stop); i++)
    {
      const SesameImportFile *file = g_ptr_array_index (job->files, i);
      Item *end;
      gboolean ok;

      pipeline->file = i;
      pipeline->bytes = 0;
      g_async_queue_push (pipeline->full, item_new (ITEM_FILE_START, i));

      end = item_new (ITEM_FILE_END, i);
      ok = sesame_aaf_read_file (file->path, pipe_record, pipe_warning, pipeline,
                                 &pipeline->bytes, job->cancellable, &end->error);
      flush_batch (pipeline);
      g_async_queue_push (pipeline->full, end);
      if (!ok)
        break;
    }

  g_async_queue_push (pipeline->full, item_new (ITEM_DONE, 0));
  return NULL;
}

void
_sesame_import_report_progress (SesameImportJob *job,
                 guint64          bytes_in_file)
{
  if (job->progress != NULL)
    job->progress (job->records, MIN (job->bytes_done + bytes_in_file, job->bytes_total),
                   job->bytes_total, job->progress_data);
}

static gboolean
apply_batch (SesameImportJob  *job,
             Item             *batch,
             GError          **error)
{
  for (guint i = 0; i < batch->n_records; i++)
    {
      if (!_sesame_import_apply_record (job, batch->records[i], error))
        return FALSE;
      if (++job->records % PROGRESS_EVERY == 0)
        {
          if (g_cancellable_is_cancelled (job->cancellable))
            {
              g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_CANCELLED,
                                   _("The import was cancelled: nothing was changed."));
              return FALSE;
            }
          _sesame_import_report_progress (job, batch->bytes);
        }
    }
  return TRUE;
}

/**
 * _sesame_import_run_pipeline:
 * @job: the import
 * @error: return location for a #GError
 *
 * Reads every file of the import on a second thread and applies its
 * records on this one, in the order of the files.
 *
 * Returns: %FALSE if a file cannot be read, the store failed, or the
 *   import was cancelled
 */
gboolean
_sesame_import_run_pipeline (SesameImportJob  *job,
              GError          **error)
{
  Pipeline pipeline = { 0 };
  g_autoptr(GError) failure = NULL;
  GThread *reader;
  Item *item;

  pipeline.job = job;
  pipeline.full = g_async_queue_new ();
  pipeline.empty = g_async_queue_new ();
  for (guint i = 0; i < POOL_BATCHES; i++)
    {
      item = item_new (ITEM_RECORDS, 0);
      item->pooled = TRUE;
      for (guint r = 0; r < BATCH_SIZE; r++)
        item->records[r] = sesame_aaf_record_new ();
      g_async_queue_push (pipeline.empty, item);
    }

  reader = g_thread_new ("sesame-aaf-reader", read_files, &pipeline);

  while ((item = g_async_queue_pop (pipeline.full))->type != ITEM_DONE)
    {
      const SesameImportFile *file = g_ptr_array_index (job->files, item->file);

      switch (item->type)
        {
        case ITEM_FILE_START:
          if (failure == NULL)
            _sesame_import_begin_file (job, file);
          break;

        case ITEM_RECORDS:
          if (failure == NULL && !apply_batch (job, item, &failure))
            g_atomic_int_set (&pipeline.stop, 1);
          g_async_queue_push (pipeline.empty, item);
          continue;

        case ITEM_WARNING:
          if (failure == NULL)
            _sesame_import_warn (job, file->name, item->line, item->text);
          break;

        case ITEM_FILE_END:
          if (failure == NULL && item->error != NULL)
            failure = g_steal_pointer (&item->error);
          if (failure == NULL)
            {
              _sesame_import_end_file (job);
              job->summary->files++;
              _sesame_import_report_progress (job, 0);
            }
          break;

        case ITEM_DONE:
        default:
          g_assert_not_reached ();
        }
      item_free (item);
    }
  item_free (item);

  g_thread_join (reader);

  while ((item = g_async_queue_try_pop (pipeline.full)) != NULL)
    item_free (item);
  while ((item = g_async_queue_try_pop (pipeline.empty)) != NULL)
    item_free (item);
  g_async_queue_unref (pipeline.full);
  g_async_queue_unref (pipeline.empty);

  if (failure != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&failure));
      return FALSE;
    }
  return TRUE;
}
