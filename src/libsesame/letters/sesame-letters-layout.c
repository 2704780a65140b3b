/* sesame-letters-layout.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The drawing toolkit of slips and letters, in points on an A4 page, with
 * Cairo and Pango. Every text has its box: it shrinks a little, wraps or is
 * ellipsized, and never spills. What every page repeats (the letterhead, the
 * paragraph, the instructions, the QR code) is drawn once into a recording
 * surface and painted on each page: a PDF then holds it once, which keeps
 * 3,000 letters fast and small.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-letters"

#include <glib/gi18n-lib.h>
#include <qrencode.h>

#include "sesame-document-language-private.h"
#include "sesame-letters-layout-private.h"

static const char * const font_names[N_FONTS] = {
  [FONT_BODY]        = "Sans 10",
  [FONT_BODY_BOLD]   = "Sans Bold 10",
  [FONT_BODY_ITALIC] = "Sans Italic 10",
  [FONT_SMALL]       = "Sans 8.5",
  [FONT_SMALL_BOLD]  = "Sans Bold 8.5",
  [FONT_SMALL_ITALIC]= "Sans Italic 8",
  [FONT_TINY]        = "Sans 7",
  [FONT_TITLE]       = "Sans Bold 14",
  [FONT_HEADING]     = "Sans Bold 11",
  [FONT_NAME]        = "Sans Bold 13",
  [FONT_CREDENTIAL]  = "Monospace Bold 13",
};

/* Sober colours that stay legible on a black and white laser printer. */
static const double inks[][3] = {
  [INK_TEXT]   = { 0.10, 0.10, 0.12 },
  [INK_MUTED]  = { 0.36, 0.36, 0.40 },
  [INK_ACCENT] = { 0.09, 0.25, 0.47 },
  [INK_RULE]   = { 0.55, 0.55, 0.58 },
  [INK_TINT]   = { 0.95, 0.96, 0.98 },
};

typedef struct
{
  cairo_surface_t *surface;
  double           height;
} Block;

static void
block_free (Block *block)
{
  cairo_surface_destroy (block->surface);
  g_free (block);
}

void
_sesame_letter_set_ink (cairo_t         *cr,
                        SesameLetterInk  ink)
{
  cairo_set_source_rgb (cr, inks[ink][0], inks[ink][1], inks[ink][2]);
}

/* Sets the layout up for text in a box of the given width: at the font's
 * size if it takes at most max_lines lines there (one without TEXT_WRAP),
 * else at the largest smaller size where it does, down to the minimum,
 * where it takes the lines it needs. Nothing is ever elided. */
static void
fit_text (SesameLetterLayout    *self,
          const char            *text,
          SesameLetterFont       font,
          SesameLetterTextFlags  flags,
          int                    max_lines,
          double                 width)
{
  PangoLayout *layout = self->layout;
  PangoAlignment alignment = PANGO_ALIGN_LEFT;
  PangoFontDescription *description;
  int lines = (flags & TEXT_WRAP) ? MAX (max_lines, 1) : 1;
  double size, min_size;

  if (flags & TEXT_RIGHT)
    alignment = PANGO_ALIGN_RIGHT;
  else if (flags & TEXT_CENTER)
    alignment = PANGO_ALIGN_CENTER;

  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_height (layout, -1);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_justify (layout, (flags & TEXT_JUSTIFY) != 0);
  pango_layout_set_text (layout, text, -1);

  description = pango_font_description_copy_static (self->fonts[font]);
  size = (double) pango_font_description_get_size (description) / PANGO_SCALE;
  min_size = MIN (size, SESAME_LETTER_MIN_SIZE);
  for (;;)
    {
      pango_font_description_set_size (description, (int) (size * PANGO_SCALE));
      pango_layout_set_font_description (layout, description);
      if (pango_layout_get_line_count (layout) <= lines || size <= min_size)
        break;
      size = MAX (min_size, size * 0.94);
    }
  pango_font_description_free (description);
}

/* Draws text in a box of the given width, its top at y, and returns its
 * height; with no cr, only measures it. */
double
_sesame_letter_draw_text (SesameLetterLayout    *self,
                          cairo_t               *cr,
                          const char            *text,
                          SesameLetterFont       font,
                          SesameLetterInk        ink,
                          SesameLetterTextFlags  flags,
                          int                    max_lines,
                          double                 x,
                          double                 y,
                          double                 width)
{
  int height;

  if (text == NULL || *text == '\0' || width <= 0)
    return 0;

  fit_text (self, text, font, flags, max_lines, width);
  if (cr != NULL)
    {
      _sesame_letter_set_ink (cr, ink);
      cairo_move_to (cr, x, y);
      pango_cairo_show_layout (cr, self->layout);
    }

  pango_layout_get_size (self->layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

/* The height _sesame_letter_draw_text() would give the same text. */
double
_sesame_letter_measure_text (SesameLetterLayout    *self,
                             const char            *text,
                             SesameLetterFont       font,
                             SesameLetterTextFlags  flags,
                             int                    max_lines,
                             double                 width)
{
  int height;

  if (text == NULL || *text == '\0' || width <= 0)
    return 0;

  fit_text (self, text, font, flags, max_lines, width);
  pango_layout_get_size (self->layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

static double
natural_width (PangoLayout *layout,
               const char  *text,
               gssize       length)
{
  int width;

  pango_layout_set_text (layout, text, length);
  pango_layout_get_size (layout, &width, NULL);
  return (double) width / PANGO_SCALE;
}

/* Where a login or a password may break: after a dot or a hyphen, so that
 * no one reads the break as part of it; a run that still does not fit is
 * broken between characters. */
static char *
break_credential (PangoLayout *layout,
                  const char  *text,
                  double       width)
{
  GString *result = g_string_new (NULL);
  const char *line = text;

  while (*line != '\0')
    {
      const char *end = NULL;  /* the longest fitting prefix ending after . or - */
      const char *p;

      if (natural_width (layout, line, -1) <= width)
        {
          g_string_append (result, line);
          break;
        }
      for (p = line; *p != '\0'; p = g_utf8_next_char (p))
        {
          if ((*p == '.' || *p == '-') && p[1] != '\0')
            {
              if (natural_width (layout, line, p + 1 - line) > width)
                break;
              end = p + 1;
            }
        }
      if (end == NULL)
        {
          /* No break point fits: as many characters as fit, at least one. */
          end = g_utf8_next_char (line);
          for (p = end; *p != '\0'; p = g_utf8_next_char (p))
            {
              if (natural_width (layout, line, g_utf8_next_char (p) - line) > width)
                break;
              end = g_utf8_next_char (p);
            }
        }
      g_string_append_len (result, line, end - line);
      line = end;
      if (*line != '\0')
        g_string_append_c (result, '\n');
    }
  return g_string_free (result, FALSE);
}

/* Draws a login or a password whole, its top at y, and returns its height:
 * on one line, set smaller if need be down to
 * SESAME_LETTER_MIN_CREDENTIAL_SIZE, then broken after its dots and hyphens.
 * With no cr, only measures it. */
double
_sesame_letter_draw_credential (SesameLetterLayout *self,
                                cairo_t            *cr,
                                const char         *text,
                                double              x,
                                double              y,
                                double              width)
{
  PangoLayout *layout = self->layout;
  PangoFontDescription *description;
  double size, min_size;
  gboolean fits;
  int height;

  if (text == NULL || *text == '\0' || width <= 0)
    return 0;

  pango_layout_set_width (layout, -1);
  pango_layout_set_height (layout, -1);
  pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
  pango_layout_set_justify (layout, FALSE);

  pango_layout_set_text (layout, text, -1);
  description = pango_font_description_copy_static (self->fonts[FONT_CREDENTIAL]);
  size = (double) pango_font_description_get_size (description) / PANGO_SCALE;
  min_size = MIN (size, SESAME_LETTER_MIN_CREDENTIAL_SIZE);
  for (;;)
    {
      int natural;

      pango_font_description_set_size (description, (int) (size * PANGO_SCALE));
      pango_layout_set_font_description (layout, description);
      pango_layout_get_size (layout, &natural, NULL);
      fits = natural <= width * PANGO_SCALE;
      if (fits || size <= min_size)
        break;
      size = MAX (min_size, size * 0.94);
    }
  pango_font_description_free (description);

  if (!fits)
    {
      g_autofree char *lines = break_credential (layout, text, width);

      pango_layout_set_text (layout, lines, -1);
    }

  if (cr != NULL)
    {
      _sesame_letter_set_ink (cr, INK_TEXT);
      cairo_move_to (cr, x, y);
      pango_cairo_show_layout (cr, layout);
    }

  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

/* The height of one line of a font, for rows of fixed height. */
double
_sesame_letter_line_height (SesameLetterLayout *self,
                            SesameLetterFont    font)
{
  return self->line_heights[font];
}

/* Paints at (x, y) what func draws from (0, 0), drawing it only the first
 * time a key is seen: the key must name everything the block shows. With
 * no cr, only returns the block's height. */
double
_sesame_letter_paint_block (SesameLetterLayout    *self,
                            cairo_t               *cr,
                            const char            *key,
                            SesameLetterBlockFunc  func,
                            gconstpointer          data,
                            double                 x,
                            double                 y)
{
  Block *block = g_hash_table_lookup (self->blocks, key);

  if (block == NULL)
    {
      cairo_rectangle_t extents = { 0, 0, PAGE_W, PAGE_H };
      cairo_t *recording;

      block = g_new0 (Block, 1);
      block->surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, &extents);
      recording = cairo_create (block->surface);
      block->height = func (self, recording, data);
      cairo_destroy (recording);
      g_hash_table_insert (self->blocks, g_strdup (key), block);
    }

  if (cr == NULL)
    return block->height;
  cairo_save (cr);
  cairo_set_source_surface (cr, block->surface, x, y);
  cairo_paint (cr);
  cairo_restore (cr);
  return block->height;
}

static cairo_surface_t *
make_qr (const char *url)
{
  cairo_rectangle_t extents;
  cairo_surface_t *surface;
  QRcode *code;
  cairo_t *cr;
  const int quiet = 2;

  code = QRcode_encodeString (url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == NULL)
    return NULL;

  /* One unit per module, with a white quiet zone around the symbol. */
  extents = (cairo_rectangle_t) { 0, 0, code->width + 2 * quiet, code->width + 2 * quiet };
  surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, &extents);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  /* Runs of dark modules, filled as one path so that no seam shows. */
  for (int row = 0; row < code->width; row++)
    {
      const unsigned char *data = code->data + row * code->width;
      int column = 0;

      while (column < code->width)
        {
          int start;

          if (!(data[column] & 1))
            {
              column++;
              continue;
            }
          start = column;
          while (column < code->width && (data[column] & 1))
            column++;
          cairo_rectangle (cr, start + quiet, row + quiet, column - start, 1);
        }
    }
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_fill (cr);
  cairo_destroy (cr);
  QRcode_free (code);
  return surface;
}

void
_sesame_letter_draw_qr (SesameLetterLayout *self,
                        cairo_t            *cr,
                        double              x,
                        double              y,
                        double              size)
{
  cairo_rectangle_t extents;

  if (self->qr == NULL)
    return;

  cairo_recording_surface_get_extents (self->qr, &extents);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, size / extents.width, size / extents.height);
  cairo_set_source_surface (cr, self->qr, 0, 0);
  cairo_paint (cr);
  cairo_restore (cr);
}

void
_sesame_letter_draw_line (cairo_t         *cr,
                          SesameLetterInk  ink,
                          double           width,
                          double           x1,
                          double           y1,
                          double           x2,
                          double           y2)
{
  if (cr == NULL)
    return;
  _sesame_letter_set_ink (cr, ink);
  cairo_set_line_width (cr, width);
  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, x2, y2);
  cairo_stroke (cr);
}

void
_sesame_letter_draw_dashed_line (cairo_t *cr,
                                 double   x1,
                                 double   y1,
                                 double   x2,
                                 double   y2)
{
  static const double dashes[] = { 3.0, 2.5 };

  cairo_save (cr);
  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
  _sesame_letter_draw_line (cr, INK_RULE, 0.5, x1, y1, x2, y2);
  cairo_restore (cr);
}

const char *
_sesame_letter_password_text (const SesameLetterItem *item)
{
  switch (item->password_state)
    {
    case SESAME_LETTER_PASSWORD_LIVE:
      return item->password;
    case SESAME_LETTER_PASSWORD_PERSONALISED:
      /* TRANSLATORS: printed instead of a password; French "mot de passe déjà personnalisé" */
      return _("password already personalised");
    case SESAME_LETTER_PASSWORD_EXPIRED:
    default:
      /* TRANSLATORS: printed instead of a password; French "expiré : demandez-en un nouveau au secrétariat" */
      return _("expired: ask the school office for a new one");
    }
}

char *
_sesame_letter_group_title (const SesameLetterItem *item)
{
  if (item->profile == SESAME_PROFILE_ELEVE)
    {
      if (*item->class_name == '\0')
        return g_strdup (_("Pupils without a class"));
      /* TRANSLATORS: the heading of a page of slips; French "Classe %s" */
      return g_strdup_printf (_("Class %s"), item->class_name);
    }
  if (item->profile == SESAME_PROFILE_PARENT)
    return g_strdup (_("Parents"));
  return g_strdup (_("Other accounts"));
}

static char *
format_date (gint64 unix_time)
{
  static const char * const months[] = {
    NC_("month", "January"), NC_("month", "February"), NC_("month", "March"),
    NC_("month", "April"), NC_("month", "May"), NC_("month", "June"),
    NC_("month", "July"), NC_("month", "August"), NC_("month", "September"),
    NC_("month", "October"), NC_("month", "November"), NC_("month", "December"),
  };
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_time);

  if (dt == NULL)
    return g_strdup ("");

  /* TRANSLATORS: the date of a letter: %1$d the day, %2$s the month,
   * %3$d the year. In French: "%1$d %2$s %3$d" */
  return g_strdup_printf (_("%2$s %1$d, %3$d"),
                          g_date_time_get_day_of_month (dt),
                          g_dpgettext2 (GETTEXT_PACKAGE, "month",
                                        months[g_date_time_get_month (dt) - 1]),
                          g_date_time_get_year (dt));
}

SesameLetterLayout *
_sesame_letter_layout_new (const SesameLetterSettings *settings)
{
  SesameLetterLayout *self = g_new0 (SesameLetterLayout, 1);
  cairo_font_options_t *options;
  PangoAttrList *attributes;

  self->ent_name = g_strdup (settings->ent_name);
  self->ent_url = g_strdup (settings->ent_url);
  self->letter_text = g_strdup (settings->letter_text);
  self->date = format_date (settings->date);
  self->blocks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) block_free);
  self->paragraphs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* Points as units, and no hinting: the page looks the same in the
   * preview, on paper and in the PDF. */
  self->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  pango_cairo_context_set_resolution (self->context, 72.0);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (self->context, options);
  cairo_font_options_destroy (options);
  pango_context_set_round_glyph_positions (self->context, FALSE);
  pango_context_set_language (self->context, pango_language_from_string ("fr-FR"));

  self->layout = pango_layout_new (self->context);
  /* A word broken at the end of a line gains no hyphen: a login or an
   * address must read exactly as typed. */
  attributes = pango_attr_list_new ();
  pango_attr_list_insert (attributes, pango_attr_insert_hyphens_new (FALSE));
  pango_layout_set_attributes (self->layout, attributes);
  pango_attr_list_unref (attributes);
  for (guint i = 0; i < N_FONTS; i++)
    {
      int height;

      self->fonts[i] = pango_font_description_from_string (font_names[i]);
      pango_layout_set_font_description (self->layout, self->fonts[i]);
      pango_layout_set_text (self->layout, "Ag", -1);
      pango_layout_get_size (self->layout, NULL, &height);
      self->line_heights[i] = (double) height / PANGO_SCALE;
    }

  self->qr = make_qr (self->ent_url);
  return self;
}

void
_sesame_letter_layout_free (SesameLetterLayout *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < N_FONTS; i++)
    pango_font_description_free (self->fonts[i]);
  g_clear_pointer (&self->blocks, g_hash_table_unref);
  g_clear_pointer (&self->paragraphs, g_hash_table_unref);
  g_clear_pointer (&self->qr, cairo_surface_destroy);
  g_clear_object (&self->layout);
  g_clear_object (&self->context);
  g_free (self->ent_name);
  g_free (self->ent_url);
  g_free (self->letter_text);
  g_free (self->date);
  g_free (self);
}
