/* sesame-import-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Imports a new directory (complete or delta) into a store in use.
 */
#include "config.h"

#include "sesame-import-window.h"

struct _SesameImportWindow
{
  AdwWindow         parent_instance;

  SesameImportView *view;
};

G_DEFINE_FINAL_TYPE (SesameImportWindow, sesame_import_window, ADW_TYPE_WINDOW)

enum {
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

SesameImportWindow *
sesame_import_window_new (SesameStore *store)
{
  SesameImportWindow *self;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  self = g_object_new (SESAME_TYPE_IMPORT_WINDOW, NULL);
  sesame_import_view_set_store (self->view, store);
  return self;
}

SesameImportView *
sesame_import_window_get_view (SesameImportWindow *self)
{
  g_return_val_if_fail (SESAME_IS_IMPORT_WINDOW (self), NULL);
  return self->view;
}

static void
imported_cb (SesameImportWindow *self)
{
  g_signal_emit (self, signals[IMPORTED], 0);
}

static void
done_cb (SesameImportWindow *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
sesame_import_window_dispose (GObject *object)
{
  G_OBJECT_CLASS (sesame_import_window_parent_class)->dispose (object);
}

static void
sesame_import_window_class_init (SesameImportWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_import_window_dispose;

  /**
   * SesameImportWindow::imported:
   *
   * The store changed: the window showing it reads it again.
   */
  signals[IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (SESAME_TYPE_IMPORT_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-import-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameImportWindow, view);
  gtk_widget_class_bind_template_callback (widget_class, imported_cb);
  gtk_widget_class_bind_template_callback (widget_class, done_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  /* While an import runs, the view's own Escape cancels it first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sesame_import_window_init (SesameImportWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
