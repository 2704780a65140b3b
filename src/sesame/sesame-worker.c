/* sesame-worker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs slow work on the store in a thread. A SesameStore is used by one
 * thread at a time, so the thread opens its own connection with
 * sesame_store_dup(): the window's connection stays free for the main
 * thread and the window never waits.
 */
#include "config.h"

#include "sesame-worker.h"

typedef struct
{
  SesameStore      *store;
  SesameWorkerFunc  func;
  gpointer          data;
  GDestroyNotify    data_free;
  GDestroyNotify    result_free;
} Work;

static void
work_free (Work *work)
{
  g_clear_object (&work->store);
  if (work->data_free != NULL && work->data != NULL)
    work->data_free (work->data);
  g_free (work);
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Work *work = task_data;
  g_autoptr(SesameStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gpointer result;

  store = sesame_store_dup (work->store, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = work->func (store, work->data, cancellable, &error);
  if (error != NULL)
    {
      if (result != NULL && work->result_free != NULL)
        work->result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task, result, work->result_free);
}

/**
 * sesame_worker_run_async:
 * @store: the window's store
 * @func: the work
 * @data: (nullable): data for @func
 * @data_free: (nullable): frees @data once the work is done
 * @result_free: (nullable): frees a result nobody collected
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the caller's main context when the work is done
 * @user_data: data for @callback
 *
 * Runs @func in a thread, on a connection of its own to @store.
 */
void
sesame_worker_run_async (SesameStore         *store,
                         SesameWorkerFunc     func,
                         gpointer             data,
                         GDestroyNotify       data_free,
                         GDestroyNotify       result_free,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Work *work;

  g_return_if_fail (SESAME_IS_STORE (store));
  g_return_if_fail (func != NULL);

  work = g_new0 (Work, 1);
  work->store = g_object_ref (store);
  work->func = func;
  work->data = data;
  work->data_free = data_free;
  work->result_free = result_free;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sesame_worker_run_async);
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, run_in_thread);
}

/**
 * sesame_worker_run_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the work's result, or %NULL with @error set
 */
gpointer
sesame_worker_run_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sesame_worker_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
