/* sesame-print-preview.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows the pages of a batch of slips or letters as they will print, one
 * at a time, scaled to the window. Its Print button emits "print": the
 * print code that opened the preview prints, as it knows the store and
 * the desk's settings.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-print-preview.h"

struct _SesamePrintPreview
{
  AdwWindow          parent_instance;

  /* Template widgets */
  AdwWindowTitle    *window_title;
  GtkDrawingArea    *area;

  /* Owned references */
  SesameLetterBatch *batch;

  guint              page;
};

G_DEFINE_FINAL_TYPE (SesamePrintPreview, sesame_print_preview, ADW_TYPE_WINDOW)

enum {
  PRINT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint
n_pages (SesamePrintPreview *self)
{
  return sesame_letter_batch_get_n_pages (self->batch);
}

static void
update (SesamePrintPreview *self)
{
  g_autofree char *subtitle = g_strdup_printf (_("Page %u of %u"), self->page + 1, n_pages (self));

  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.previous", self->page > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.next", self->page + 1 < n_pages (self));
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
draw (GtkDrawingArea *area,
      cairo_t        *cr,
      int             width,
      int             height,
      gpointer        user_data)
{
  SesamePrintPreview *self = user_data;
  const double margin = 16;
  double scale, page_w, page_h, x, y;

  scale = MIN ((width - 2 * margin) / SESAME_LETTERS_PAGE_WIDTH,
               (height - 2 * margin) / SESAME_LETTERS_PAGE_HEIGHT);
  if (scale <= 0)
    return;
  page_w = SESAME_LETTERS_PAGE_WIDTH * scale;
  page_h = SESAME_LETTERS_PAGE_HEIGHT * scale;
  x = floor ((width - page_w) / 2);
  y = floor ((height - page_h) / 2);

  /* A sheet of paper with a soft shadow. */
  cairo_set_source_rgba (cr, 0, 0, 0, 0.15);
  cairo_rectangle (cr, x + 2, y + 3, page_w, page_h);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, page_w, page_h);
  cairo_fill (cr);

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, scale, scale);
  cairo_rectangle (cr, 0, 0, SESAME_LETTERS_PAGE_WIDTH, SESAME_LETTERS_PAGE_HEIGHT);
  cairo_clip (cr);
  sesame_letter_batch_draw_page (self->batch, cr, self->page,
                                 SESAME_LETTERS_PAGE_WIDTH, SESAME_LETTERS_PAGE_HEIGHT);
  cairo_restore (cr);
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SesamePrintPreview *self = SESAME_PRINT_PREVIEW (widget);

  if (self->page > 0)
    self->page--;
  update (self);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SesamePrintPreview *self = SESAME_PRINT_PREVIEW (widget);

  if (self->page + 1 < n_pages (self))
    self->page++;
  update (self);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SesamePrintPreview *self = SESAME_PRINT_PREVIEW (widget);

  g_signal_emit (self, signals[PRINT], 0);
}

/**
 * sesame_print_preview_new:
 * @batch: the pages
 *
 * Returns: (transfer none): a new preview window; its Print button emits
 *   #SesamePrintPreview::print
 */
SesamePrintPreview *
sesame_print_preview_new (SesameLetterBatch *batch)
{
  SesamePrintPreview *self;

  g_return_val_if_fail (SESAME_IS_LETTER_BATCH (batch), NULL);

  self = g_object_new (SESAME_TYPE_PRINT_PREVIEW, NULL);
  self->batch = g_object_ref (batch);
  update (self);
  return self;
}

/**
 * sesame_print_preview_get_page:
 * @self: a #SesamePrintPreview
 *
 * Returns: the page shown, from 0
 */
guint
sesame_print_preview_get_page (SesamePrintPreview *self)
{
  g_return_val_if_fail (SESAME_IS_PRINT_PREVIEW (self), 0);
  return self->page;
}

static void
sesame_print_preview_dispose (GObject *object)
{
  SesamePrintPreview *self = SESAME_PRINT_PREVIEW (object);

  g_clear_object (&self->batch);

  G_OBJECT_CLASS (sesame_print_preview_parent_class)->dispose (object);
}

static void
sesame_print_preview_class_init (SesamePrintPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_print_preview_dispose;

  /**
   * SesamePrintPreview::print:
   * @self: the preview
   *
   * Emitted when the operator asks to print the pages shown.
   */
  signals[PRINT] = g_signal_new ("print", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "preview.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "preview.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "preview.print", NULL, print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "preview.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "preview.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "preview.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "preview.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "preview.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-print-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, SesamePrintPreview, window_title);
  gtk_widget_class_bind_template_child (widget_class, SesamePrintPreview, area);
}

static void
sesame_print_preview_init (SesamePrintPreview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->area, draw, self, NULL);
}
