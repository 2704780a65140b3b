/* sesame-server-pool.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Password hashing (Argon2id, 64 MiB and tens of milliseconds each) must
 * not stall the server's main loop, nor let a crowd of sign-ins take all
 * its memory: it runs here, in a fixed number of worker threads, each
 * with its own connection to the store, behind a bounded queue. When the
 * queue is full the caller answers 503 at once and the other pages keep
 * answering.
 */
#include "config.h"

#include "sesame-server-pool.h"

struct _SesameServerPool
{
  GThreadPool  *threads;
  GAsyncQueue  *stores;
  GMainContext *context;
  guint         limit;
  gint          pending;   /* atomic: queued and running jobs */
};

typedef struct
{
  SesameServerPool     *pool;
  SesameServerPoolWork  work;
  SesameServerPoolDone  done;
  gpointer              data;
} Job;

static gboolean
finish_job (gpointer user_data)
{
  Job *job = user_data;

  job->done (job->data);
  g_free (job);
  return G_SOURCE_REMOVE;
}

static void
run_job (gpointer job_data,
         gpointer pool_data)
{
  Job *job = job_data;
  SesameServerPool *self = pool_data;
  SesameStore *store = g_async_queue_pop (self->stores);

  job->work (store, job->data);
  g_async_queue_push (self->stores, store);
  g_atomic_int_add (&self->pending, -1);
  g_main_context_invoke (self->context, finish_job, job);
}

/**
 * sesame_server_pool_new:
 * @store: the server's store, from the main thread
 * @workers: how many threads hash at once
 * @queue_max: how many jobs may wait beyond those running
 * @error: return location for a #GError
 *
 * Makes the pool and a store connection per worker.
 *
 * Returns: (transfer full): the pool, or %NULL with @error set
 */
SesameServerPool *
sesame_server_pool_new (SesameStore  *store,
                        guint         workers,
                        guint         queue_max,
                        GError      **error)
{
  SesameServerPool *self = g_new0 (SesameServerPool, 1);

  self->stores = g_async_queue_new_full (g_object_unref);
  self->context = g_main_context_ref_thread_default ();
  self->limit = workers + queue_max;
  for (guint i = 0; i < workers; i++)
    {
      SesameStore *copy = sesame_store_dup (store, error);

      if (copy == NULL)
        {
          sesame_server_pool_free (self);
          return NULL;
        }
      g_async_queue_push (self->stores, copy);
    }
  self->threads = g_thread_pool_new (run_job, self, (int) workers, FALSE, error);
  if (self->threads == NULL)
    {
      sesame_server_pool_free (self);
      return NULL;
    }
  return self;
}

/**
 * sesame_server_pool_push:
 * @self: a pool
 * @work: what a worker does with its store
 * @done: what the main thread does next
 * @data: for both
 *
 * Queues a job, unless the queue is full.
 *
 * Returns: %FALSE when the pool is full: @work and @done will not run
 */
gboolean
sesame_server_pool_push (SesameServerPool     *self,
                         SesameServerPoolWork  work,
                         SesameServerPoolDone  done,
                         gpointer              data)
{
  Job *job;

  if ((guint) g_atomic_int_add (&self->pending, 1) >= self->limit)
    {
      g_atomic_int_add (&self->pending, -1);
      return FALSE;
    }
  job = g_new0 (Job, 1);
  job->pool = self;
  job->work = work;
  job->done = done;
  job->data = data;
  g_thread_pool_push (self->threads, job, NULL);
  return TRUE;
}

/**
 * sesame_server_pool_get_pending:
 * @self: a pool
 *
 * Counts the jobs queued or running.
 *
 * Returns: the number of jobs not finished
 */
guint
sesame_server_pool_get_pending (SesameServerPool *self)
{
  return (guint) g_atomic_int_get (&self->pending);
}

/**
 * sesame_server_pool_free:
 * @self: (transfer full): a pool
 *
 * Waits for the jobs running, drops those queued, closes the stores.
 */
void
sesame_server_pool_free (SesameServerPool *self)
{
  if (self == NULL)
    return;
  if (self->threads != NULL)
    g_thread_pool_free (self->threads, TRUE, TRUE);
  g_async_queue_unref (self->stores);
  g_main_context_unref (self->context);
  g_free (self);
}
