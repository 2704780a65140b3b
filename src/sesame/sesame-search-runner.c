/* sesame-search-runner.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs searches as the operator types. Each search runs in a thread on a
 * connection of its own; one search runs at a time: a new query cancels
 * the one running and waits for it, so stale results never arrive after
 * fresh ones and a single spare connection serves every search.
 */
#include "config.h"

#include "sesame-search-runner.h"

struct _SesameSearchRunner
{
  GObject             parent_instance;

  SesameStore        *store;
  GListStore         *results;

  GArray             *profiles;       /* SesameProfile, searched one after the other */
  SesameSearchQuery  *pending;
  GCancellable       *cancellable;    /* of the search running, or NULL */
  SesameStore        *spare;          /* a worker connection between searches */
  guint               generation;     /* bumped when the operator changes */
  guint               truncated : 1;
};

G_DEFINE_FINAL_TYPE (SesameSearchRunner, sesame_search_runner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_BUSY,
  PROP_TRUNCATED,
  N_PROPS
};

enum {
  FAILED,
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  SesameStore       *store;       /* the window's, to dup from */
  SesameStore       *worker;      /* the spare connection, if any */
  SesameSearchQuery *query;
  GArray            *profiles;
  guint              generation;
} Search;

typedef struct
{
  GListModel  *results;
  SesameStore *worker;
  GError      *error;
  guint        generation;
  gboolean     truncated;
} Found;

static void
search_free (Search *search)
{
  g_clear_object (&search->store);
  g_clear_object (&search->worker);
  g_clear_pointer (&search->query, sesame_search_query_free);
  g_clear_pointer (&search->profiles, g_array_unref);
  g_free (search);
}

static void
found_free (Found *found)
{
  g_clear_object (&found->results);
  g_clear_object (&found->worker);
  g_clear_error (&found->error);
  g_free (found);
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  SesamePerson *pa = (SesamePerson *) a;
  SesamePerson *pb = (SesamePerson *) b;
  g_autofree char *ka = g_utf8_collate_key (sesame_person_get_last_name (pa), -1);
  g_autofree char *kb = g_utf8_collate_key (sesame_person_get_last_name (pb), -1);
  int cmp = strcmp (ka, kb);

  if (cmp == 0)
    cmp = g_utf8_collate (sesame_person_get_first_name (pa), sesame_person_get_first_name (pb));
  return cmp;
}

static void
search_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Search *search = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) merged = NULL;
  Found *found;
  guint limit;

  if (search->worker == NULL)
    {
      search->worker = sesame_store_dup (search->store, &error);
      if (search->worker == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  found = g_new0 (Found, 1);
  found->generation = search->generation;
  limit = search->query->limit;

  if (search->profiles == NULL || search->profiles->len == 0)
    {
      found->results = sesame_search_run (search->worker, search->query, cancellable, &error);
      if (found->results != NULL)
        found->truncated = limit > 0 && g_list_model_get_n_items (found->results) >= limit;
    }
  else
    {
      /* Several profiles: one search each, merged in name order. */
      merged = g_list_store_new (SESAME_TYPE_PERSON);
      for (guint i = 0; i < search->profiles->len && error == NULL; i++)
        {
          g_autoptr(GListModel) part = NULL;

          search->query->profile = g_array_index (search->profiles, SesameProfile, i);
          part = sesame_search_run (search->worker, search->query, cancellable, &error);
          if (part == NULL)
            break;
          if (limit > 0 && g_list_model_get_n_items (part) >= limit)
            found->truncated = TRUE;
          for (guint j = 0; j < g_list_model_get_n_items (part); j++)
            {
              g_autoptr(SesamePerson) person = g_list_model_get_item (part, j);
              g_list_store_append (merged, person);
            }
        }
      if (error == NULL)
        {
          g_list_store_sort (merged, compare_names, NULL);
          found->results = G_LIST_MODEL (g_steal_pointer (&merged));
        }
    }

  /* The connection serves the next search, even after a failure. */
  found->worker = g_steal_pointer (&search->worker);
  found->error = g_steal_pointer (&error);
  if (found->error != NULL)
    g_clear_object (&found->results);
  g_task_return_pointer (task, found, (GDestroyNotify) found_free);
}

static void start_search (SesameSearchRunner *self);

static void
search_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SesameSearchRunner) self = user_data;
  g_autoptr(GError) error = NULL;
  Found *found;

  found = g_task_propagate_pointer (G_TASK (result), &error);
  g_clear_object (&self->cancellable);
  if (found != NULL && found->error != NULL)
    error = g_steal_pointer (&found->error);

  if (found != NULL && found->worker != NULL && found->generation == self->generation && self->spare == NULL)
    self->spare = g_steal_pointer (&found->worker);

  if (self->pending != NULL)
    {
      g_clear_pointer (&found, found_free);
      start_search (self);
      return;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  if (error != NULL)
    {
      g_clear_pointer (&found, found_free);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_list_store_remove_all (self->results);
          g_signal_emit (self, signals[FAILED], 0, error);
        }
      return;
    }

  {
    guint n = g_list_model_get_n_items (found->results);
    g_autoptr(GPtrArray) items = g_ptr_array_new_full (n, g_object_unref);

    for (guint i = 0; i < n; i++)
      g_ptr_array_add (items, g_list_model_get_item (found->results, i));
    g_list_store_splice (self->results, 0, g_list_model_get_n_items (G_LIST_MODEL (self->results)),
                         items->pdata, items->len);
  }
  if (self->truncated != found->truncated)
    {
      self->truncated = found->truncated;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRUNCATED]);
    }
  found_free (found);
  g_signal_emit (self, signals[FINISHED], 0);
}

static void
start_search (SesameSearchRunner *self)
{
  g_autoptr(GTask) task = NULL;
  Search *search;

  g_assert (self->cancellable == NULL);
  g_assert (self->pending != NULL);

  search = g_new0 (Search, 1);
  search->store = g_object_ref (self->store);
  search->worker = g_steal_pointer (&self->spare);
  search->query = g_steal_pointer (&self->pending);
  search->profiles = self->profiles ? g_array_ref (self->profiles) : NULL;
  search->generation = self->generation;

  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, search_done, g_object_ref (self));
  g_task_set_source_tag (task, start_search);
  /* The result carries the worker connection back even when cancelled. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, search, (GDestroyNotify) search_free);
  g_task_run_in_thread (task, search_in_thread);
}

/**
 * sesame_search_runner_search:
 * @self: a #SesameSearchRunner
 * @query: what to look for
 *
 * Starts a search; its results replace the current ones when it ends. A
 * search still running is cancelled.
 */
void
sesame_search_runner_search (SesameSearchRunner      *self,
                             const SesameSearchQuery *query)
{
  gboolean was_busy;

  g_return_if_fail (SESAME_IS_SEARCH_RUNNER (self));
  g_return_if_fail (query != NULL);

  was_busy = sesame_search_runner_get_busy (self);
  g_clear_pointer (&self->pending, sesame_search_query_free);
  self->pending = sesame_search_query_copy (query);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    start_search (self);

  if (!was_busy)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/**
 * sesame_search_runner_clear:
 * @self: a #SesameSearchRunner
 *
 * Cancels any search and empties the results.
 */
void
sesame_search_runner_clear (SesameSearchRunner *self)
{
  g_return_if_fail (SESAME_IS_SEARCH_RUNNER (self));

  g_clear_pointer (&self->pending, sesame_search_query_free);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_list_store_remove_all (self->results);
  if (self->truncated)
    {
      self->truncated = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRUNCATED]);
    }
}

/**
 * sesame_search_runner_set_profiles:
 * @self: a #SesameSearchRunner
 * @profiles: (array length=n_profiles) (nullable): the profiles to search
 * @n_profiles: how many
 *
 * Restricts every search to these profiles, e.g. all staff.
 */
void
sesame_search_runner_set_profiles (SesameSearchRunner  *self,
                                   const SesameProfile *profiles,
                                   guint                n_profiles)
{
  g_return_if_fail (SESAME_IS_SEARCH_RUNNER (self));

  g_clear_pointer (&self->profiles, g_array_unref);
  if (n_profiles > 0)
    {
      self->profiles = g_array_sized_new (FALSE, FALSE, sizeof (SesameProfile), n_profiles);
      g_array_append_vals (self->profiles, profiles, n_profiles);
    }
}

/**
 * sesame_search_runner_get_results:
 * @self: a #SesameSearchRunner
 *
 * Returns: (transfer none): a #GListModel of #SesamePerson, the results of
 *   the last search that ended
 */
GListModel *
sesame_search_runner_get_results (SesameSearchRunner *self)
{
  g_return_val_if_fail (SESAME_IS_SEARCH_RUNNER (self), NULL);
  return G_LIST_MODEL (self->results);
}

gboolean
sesame_search_runner_get_busy (SesameSearchRunner *self)
{
  g_return_val_if_fail (SESAME_IS_SEARCH_RUNNER (self), FALSE);
  return self->cancellable != NULL;
}

/**
 * sesame_search_runner_get_truncated:
 * @self: a #SesameSearchRunner
 *
 * Returns: whether the last search stopped at its limit
 */
gboolean
sesame_search_runner_get_truncated (SesameSearchRunner *self)
{
  g_return_val_if_fail (SESAME_IS_SEARCH_RUNNER (self), FALSE);
  return self->truncated;
}

static void
operator_changed (SesameSearchRunner *self)
{
  /* A worker connection acts as the operator of its time. */
  self->generation++;
  g_clear_object (&self->spare);
}

SesameSearchRunner *
sesame_search_runner_new (SesameStore *store)
{
  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);
  return g_object_new (SESAME_TYPE_SEARCH_RUNNER, "store", store, NULL);
}

static void
sesame_search_runner_constructed (GObject *object)
{
  SesameSearchRunner *self = SESAME_SEARCH_RUNNER (object);

  G_OBJECT_CLASS (sesame_search_runner_parent_class)->constructed (object);

  g_signal_connect_object (self->store, "notify::operator",
                           G_CALLBACK (operator_changed), self, G_CONNECT_SWAPPED);
}

static void
sesame_search_runner_dispose (GObject *object)
{
  SesameSearchRunner *self = SESAME_SEARCH_RUNNER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->spare);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sesame_search_runner_parent_class)->dispose (object);
}

static void
sesame_search_runner_finalize (GObject *object)
{
  SesameSearchRunner *self = SESAME_SEARCH_RUNNER (object);

  g_clear_object (&self->results);
  g_clear_pointer (&self->pending, sesame_search_query_free);
  g_clear_pointer (&self->profiles, g_array_unref);

  G_OBJECT_CLASS (sesame_search_runner_parent_class)->finalize (object);
}

static void
sesame_search_runner_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SesameSearchRunner *self = SESAME_SEARCH_RUNNER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, sesame_search_runner_get_busy (self));
      break;
    case PROP_TRUNCATED:
      g_value_set_boolean (value, self->truncated);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_search_runner_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SesameSearchRunner *self = SESAME_SEARCH_RUNNER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_search_runner_class_init (SesameSearchRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = sesame_search_runner_constructed;
  object_class->dispose = sesame_search_runner_dispose;
  object_class->finalize = sesame_search_runner_finalize;
  object_class->get_property = sesame_search_runner_get_property;
  object_class->set_property = sesame_search_runner_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SESAME_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRUNCATED] =
    g_param_spec_boolean ("truncated", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SesameSearchRunner::failed:
   * @error: why
   *
   * A search could not run (the operator may not search, the store failed).
   */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * SesameSearchRunner::finished:
   *
   * The results are those of the latest query.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sesame_search_runner_init (SesameSearchRunner *self)
{
  self->results = g_list_store_new (SESAME_TYPE_PERSON);
}
