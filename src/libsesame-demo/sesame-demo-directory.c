/* sesame-demo-directory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes a demo academy directory in the AAF format, as complete exports:
 * per establishment (ENT_<UAI>_Complet_…) or academy-wide in numbered
 * chunks (FULL_ENTTSSERVICES_Complet_…). The same seed writes the same
 * bytes. Everything is invented: names drawn from lists, phone numbers in
 * the ranges reserved for fiction, email addresses at example.org and
 * example.net only.
 *
 * Files are first written under a hidden ".part" name and renamed when
 * complete; on failure or cancellation every file already written is
 * removed, so an importer never meets half a directory.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-demo"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "sesame-demo-directory-private.h"

#define DEFAULT_DATE          "20240902"
#define DEFAULT_CHUNK_RECORDS 20000
#define BUFFER_SIZE           (1 << 20)
#define EOL                   "\r\n"

typedef enum
{
  KIND_ESTABLISHMENT,
  KIND_SUBJECT,
  KIND_STAFF,
  KIND_PARENT,
  KIND_PUPIL,
  N_KINDS
} Kind;

static const char * const kind_names[N_KINDS] = {
  "EtabEducNat", "MatiereEducNat", "PersEducNat", "PersRelEleve", "Eleve",
};

typedef struct
{
  const SesameDemoDirectoryOptions *options;
  const DemoAcademy                *academy;
  const DemoTables                 *t;
  const char                       *folder;
  GCancellable                     *cancellable;
  SesameDemoDirectoryCounts         counts;
  GPtrArray                        *written;

  /* The file being written. */
  FILE   *out;
  char   *path;
  char   *part_path;
  char   *buffer;
  Kind    kind;
  guint   chunk;
  guint   in_file;
  int     write_errno;
} Writer;

static void
put_len (Writer     *w,
         const char *text,
         gsize       len)
{
  if (len > 0 && fwrite_unlocked (text, 1, len, w->out) != len && w->write_errno == 0)
    w->write_errno = errno ? errno : EIO;
  w->counts.bytes += len;
}

static void
put (Writer     *w,
     const char *text)
{
  put_len (w, text, strlen (text));
}

/* Apostrophes and quotes stay as they are in element content, as in real
 * exports ("L'ETABLISSEMENT"); only &, < and > need escaping there. */
static void
put_escaped (Writer     *w,
             const char *text)
{
  if (strpbrk (text, "&<>") == NULL)
    put (w, text);
  else
    {
      g_autofree char *escaped = g_markup_escape_text (text, -1);
      put (w, escaped);
    }
}

static void G_GNUC_PRINTF (2, 3)
putf (Writer     *w,
      const char *format,
      ...)
{
  char text[512];
  va_list args;
  int len;

  va_start (args, format);
  len = g_vsnprintf (text, sizeof text, format, args);
  va_end (args);
  put_len (w, text, MIN ((gsize) len, sizeof text - 1));
}

/* <value>…</value>; an empty or missing value as <value/>. */
static void
value (Writer     *w,
       const char *text)
{
  if (text == NULL || *text == '\0')
    {
      put (w, "<value/>");
      return;
    }
  put (w, "<value>");
  put_escaped (w, text);
  put (w, "</value>");
}

static void
attr_open (Writer     *w,
           const char *name)
{
  put (w, "<attr name=\"");
  put (w, name);
  put (w, "\">");
}

static void
attr_close (Writer *w)
{
  put (w, "</attr>" EOL);
}

static void
attr (Writer     *w,
      const char *name,
      const char *text)
{
  attr_open (w, name);
  value (w, text);
  attr_close (w);
}

static void G_GNUC_PRINTF (3, 4)
attrf (Writer     *w,
       const char *name,
       const char *format,
       ...)
{
  char text[512];
  va_list args;

  va_start (args, format);
  g_vsnprintf (text, sizeof text, format, args);
  va_end (args);
  attr (w, name, text);
}

static gboolean
file_open (Writer  *w,
           Kind     kind,
           guint    chunk,
           const char *uai,
           GError **error)
{
  g_autofree char *name = NULL;
  g_autofree char *part_name = NULL;

  g_assert (w->out == NULL);

  if (uai != NULL)
    name = g_strdup_printf ("ENT_%s_Complet_%s_%s_%04u.xml", uai, w->academy->date, kind_names[kind], chunk);
  else
    name = g_strdup_printf ("FULL_ENTTSSERVICES_Complet_%s_%s_%04u.xml", w->academy->date, kind_names[kind], chunk);
  part_name = g_strdup_printf (".%s.part", name);

  w->path = g_build_filename (w->folder, name, NULL);
  w->part_path = g_build_filename (w->folder, part_name, NULL);
  w->out = g_fopen (w->part_path, "wb");
  if (w->out == NULL)
    {
      int saved = errno;

      g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                   _("Cannot write the demo directory file “%s”: %s"),
                   w->part_path, g_strerror (saved));
      g_clear_pointer (&w->path, g_free);
      g_clear_pointer (&w->part_path, g_free);
      return FALSE;
    }
  setvbuf (w->out, w->buffer, _IOFBF, BUFFER_SIZE);

  w->kind = kind;
  w->chunk = chunk;
  w->in_file = 0;
  w->write_errno = 0;
  w->counts.files++;

  put (w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" EOL
          "<!DOCTYPE ficAlimMENESR SYSTEM \"ficAlimMENESR.dtd\">" EOL
          "<ficAlimMENESR>" EOL
          "<!-- versionAF=\"AAF-VE2301\" -->" EOL EOL);
  return TRUE;
}

static void
file_abort (Writer *w)
{
  if (w->out == NULL)
    return;
  fclose (w->out);
  w->out = NULL;
  g_unlink (w->part_path);
  g_clear_pointer (&w->path, g_free);
  g_clear_pointer (&w->part_path, g_free);
}

static gboolean
file_close (Writer  *w,
            GError **error)
{
  int saved;

  g_assert (w->out != NULL);

  put (w, EOL "</ficAlimMENESR>" EOL);
  if (fflush (w->out) != 0 && w->write_errno == 0)
    w->write_errno = errno;
  if (fclose (w->out) != 0 && w->write_errno == 0)
    w->write_errno = errno;
  w->out = NULL;

  if (w->write_errno == 0 && g_rename (w->part_path, w->path) != 0)
    w->write_errno = errno;

  saved = w->write_errno;
  if (saved != 0)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                   _("Cannot write the demo directory file “%s”: %s"),
                   w->path, g_strerror (saved));
      g_unlink (w->part_path);
      g_clear_pointer (&w->path, g_free);
      g_clear_pointer (&w->part_path, g_free);
      return FALSE;
    }

  g_ptr_array_add (w->written, g_steal_pointer (&w->path));
  g_clear_pointer (&w->part_path, g_free);
  return TRUE;
}

/* Starts a record, moving on to the next chunk of an academy-wide set when
 * the current one is full. */
static gboolean
record_open (Writer      *w,
             const char  *category_attr,
             const char  *category,
             guint32      id,
             const char  *id_text,
             GError     **error)
{
  if (w->options->flags & SESAME_DEMO_DIRECTORY_ACADEMY_WIDE &&
      w->in_file >= w->options->chunk_records)
    {
      Kind kind = w->kind;
      guint chunk = w->chunk + 1;

      if (!file_close (w, error) || !file_open (w, kind, chunk, NULL, error))
        return FALSE;
    }

  if (w->counts.records % 256 == 0 &&
      g_cancellable_set_error_if_cancelled (w->cancellable, error))
    return FALSE;
  if (w->write_errno != 0)
    {
      int saved = w->write_errno;

      g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                   _("Cannot write the demo directory file “%s”: %s"),
                   w->part_path, g_strerror (saved));
      return FALSE;
    }

  w->in_file++;
  w->counts.records++;

  put (w, "<addRequest>" EOL "<operationalAttributes><attr name=\"");
  put (w, category_attr);
  put (w, "\"><value>");
  put (w, category);
  put (w, "</value></attr></operationalAttributes>" EOL);
  if (id_text != NULL)
    {
      put (w, "<identifier><id>");
      put (w, id_text);
      put (w, "</id></identifier>" EOL "<attributes>" EOL);
    }
  else
    putf (w, "<identifier><id>%u</id></identifier>" EOL "<attributes>" EOL, id);
  return TRUE;
}

static void
record_close (Writer *w)
{
  put (w, "</attributes>" EOL "</addRequest>" EOL EOL);
}

static gboolean
write_establishment (Writer            *w,
                     const DemoSchool  *school,
                     GError           **error)
{
  const DemoCity *city = &w->t->cities[school->city];

  if (!record_open (w, "categorieStructure", "EtabEducNat", school->jointure, NULL, error))
    return FALSE;

  attrf (w, "ENTStructureJointure", "%u", school->jointure);
  attr (w, "ENTStructureUAI", school->uai);
  attr (w, "ENTEtablissementUAI", school->uai);
  put (w, "<attr name=\"ENTStructureSIREN\"><value></value></attr>" EOL);
  attr (w, "ENTStructureNomCourant", school->name);
  attr (w, "ENTStructureTypeStruct", school->lycee ? "LYCEE GENERAL ET TECHNOLOGIQUE" : "COLLEGE");
  attr (w, "ENTEtablissementMinistereTutelle", "MINISTERE DE L'EDUCATION NATIONALE");
  attr (w, "ENTEtablissementContrat", "PU");
  attr (w, "postOfficeBox", NULL);
  attr (w, "street", school->street);
  attr (w, "postalCode", city->postal_code);
  attr (w, "l", city->aaf);
  attrf (w, "telephoneNumber", "046571%04u", 1000 + school->index % 9000);
  attr (w, "facsimileTelephoneNumber", NULL);
  attr (w, "ENTEtablissementStructRattachFctl", NULL);
  attr (w, "ENTEtablissementBassin", NULL);
  attr (w, "ENTServAcAcademie", "GRENOBLE");

  attr_open (w, "ENTStructureClasses");
  for (guint i = 0; i < school->classes->len; i++)
    {
      const DemoClass *klass = &g_array_index (school->classes, DemoClass, i);
      char text[64];

      g_snprintf (text, sizeof text, "%s$%s", klass->code, w->t->levels[klass->level].mef_label);
      value (w, text);
    }
  if (school->classes->len == 0)
    value (w, NULL);
  attr_close (w);

  attr_open (w, "ENTStructureGroupes");
  for (guint i = 0; i < school->groups->len; i++)
    {
      char text[64];

      g_snprintf (text, sizeof text, "%s$", g_array_index (school->groups, DemoGroup, i).code);
      value (w, text);
    }
  if (school->groups->len == 0)
    value (w, NULL);
  attr_close (w);

  record_close (w);
  return TRUE;
}

static gboolean
write_subjects (Writer  *w,
                GError **error)
{
  const DemoTables *t = w->t;

  for (guint i = 0; i < t->n_subjects + t->n_extra_subjects; i++)
    {
      const DemoSubject *subject = i < t->n_subjects ? &t->subjects[i]
                                                     : &t->extra_subjects[i - t->n_subjects];

      if (!record_open (w, "categorieMatiere", "MatEducNat", 0, subject->code, error))
        return FALSE;
      attr (w, "ENTMatJointure", subject->code);
      attr (w, "ENTLibelleMatiere", subject->label);
      record_close (w);
    }
  return TRUE;
}

static void
attr_upper (Writer     *w,
            const char *name,
            const char *text)
{
  g_autofree char *upper = g_utf8_strup (text, -1);
  attr (w, name, upper);
}

static void
attr_date (Writer *w,
           guint   day,
           guint   month,
           guint   year)
{
  attrf (w, "ENTPersonDateNaissance", "%02u/%02u/%04u", day, month, year);
}

static gboolean
write_staff (Writer            *w,
             const DemoSchool  *school,
             const DemoStaff   *staff,
             GError           **error)
{
  static const char * const functions[] = {
    [DEMO_FUNCTION_DIR] = "DIR$DIRECTION$D0010$PERSONNEL DE DIRECTION",
    [DEMO_FUNCTION_EDU] = "EDU$EDUCATION$E0030$CONSEILLER PRINCIPAL D'EDUCATION",
    [DEMO_FUNCTION_DOC] = "DOC$DOCUMENTATION$E0080$DOCUMENTATION",
    [DEMO_FUNCTION_ADF] = "ADF$PERSONNELS ADMINISTRATIFS$A0001$ADMINISTRATION",
  };
  const DemoTables *t = w->t;
  const DemoSubject *subject = &t->subjects[staff->subject];
  gboolean teacher = staff->function == DEMO_FUNCTION_ENS;
  guint levels = 0;

  if (!record_open (w, "categoriePersonne", "PersEducNat", staff->key, NULL, error))
    return FALSE;

  attrf (w, "ENTPersonJointure", "%u", staff->key);
  attr_date (w, staff->birth_day, staff->birth_month, staff->birth_year);
  attr_upper (w, "ENTPersonNomPatro", staff->last);
  attr_upper (w, "sn", staff->last);
  attr (w, "givenName", staff->first);
  attr (w, "personalTitle", staff->woman ? "Mme" : "M.");
  if (staff->has_mail)
    {
      g_autofree char *first = _sesame_demo_ascii_word (staff->first);
      g_autofree char *last = _sesame_demo_ascii_word (staff->last);

      attrf (w, "mail", "%s.%s@example.org", first, last);
    }
  else
    attr (w, "mail", NULL);
  attrf (w, "ENTPersonStructRattach", "%u", school->jointure);

  if (teacher)
    {
      attr (w, "ENTAuxEnsCategoDiscipline", subject->category);
      attrf (w, "ENTAuxEnsDisciplinesPoste", "%s$%s", subject->discipline_label, subject->discipline);
    }
  else
    {
      attr (w, "ENTAuxEnsCategoDiscipline", NULL);
      attr (w, "ENTAuxEnsDisciplinesPoste", NULL);
    }

  for (guint i = 0; i < staff->classes->len; i++)
    levels |= 1 << g_array_index (school->classes, DemoClass, g_array_index (staff->classes, guint16, i)).level;
  for (guint i = 0; i < staff->groups->len; i++)
    levels |= 1 << g_array_index (school->groups, DemoGroup, g_array_index (staff->groups, guint16, i)).level;

  attr_open (w, "ENTAuxEnsMEF");
  for (guint l = 0; l < t->n_levels; l++)
    if (levels & (1 << l))
      {
        char text[128];

        g_snprintf (text, sizeof text, "%u$%s$%s", school->jointure, t->levels[l].mef, t->levels[l].mef_label);
        value (w, text);
      }
  if (levels == 0)
    value (w, NULL);
  attr_close (w);

  if (teacher)
    attrf (w, "ENTAuxEnsMatiereEnseignEtab", "%u$%s", school->jointure, subject->label);
  else
    attr (w, "ENTAuxEnsMatiereEnseignEtab", NULL);

  for (guint pass = 0; pass < 2; pass++)
    {
      attr_open (w, pass == 0 ? "ENTAuxEnsClasses" : "ENTAuxEnsClassesMatieres");
      for (guint i = 0; i < staff->classes->len; i++)
        {
          const DemoClass *klass = &g_array_index (school->classes, DemoClass, g_array_index (staff->classes, guint16, i));
          char text[128];

          if (pass == 0)
            g_snprintf (text, sizeof text, "%u$%s", school->jointure, klass->code);
          else
            g_snprintf (text, sizeof text, "%u$%s$%s", school->jointure, klass->code, subject->code);
          value (w, text);
        }
      if (staff->classes->len == 0)
        value (w, NULL);
      attr_close (w);

      attr_open (w, pass == 0 ? "ENTAuxEnsGroupes" : "ENTAuxEnsGroupesMatieres");
      for (guint i = 0; i < staff->groups->len; i++)
        {
          const DemoGroup *group = &g_array_index (school->groups, DemoGroup, g_array_index (staff->groups, guint16, i));
          char text[128];

          if (pass == 0)
            g_snprintf (text, sizeof text, "%u$%s", school->jointure, group->code);
          else
            g_snprintf (text, sizeof text, "%u$%s$%s", school->jointure, group->code, subject->code);
          value (w, text);
        }
      if (staff->groups->len == 0)
        value (w, NULL);
      attr_close (w);
    }

  if (staff->principal >= 0)
    attrf (w, "ENTAuxEnsClassesPrincipal", "%u$%s", school->jointure,
           g_array_index (school->classes, DemoClass, staff->principal).code);
  else
    attr (w, "ENTAuxEnsClassesPrincipal", NULL);

  if (teacher)
    attrf (w, "ENTPersonFonctions", "%u$ENS$ENSEIGNEMENT$%s$%s", school->jointure,
           subject->discipline, subject->discipline_label);
  else
    attrf (w, "ENTPersonFonctions", "%u$%s", school->jointure, functions[staff->function]);
  attr (w, "PersEducNatPresenceDevantEleves", teacher ? "O" : "N");

  record_close (w);
  return TRUE;
}

static void
parent_mail (const DemoParent *parent,
             char             *text,
             gsize             size)
{
  g_autofree char *first = _sesame_demo_ascii_word (parent->mail_first);
  g_autofree char *last = _sesame_demo_ascii_word (parent->mail_last);

  switch (parent->mail_style)
    {
    case 1:
      g_snprintf (text, size, "%s.%s@example.org", first, last);
      break;
    case 2:
      g_snprintf (text, size, "%s%s%02u@example.net", first, last, parent->mail_number);
      break;
    case 3:
      g_snprintf (text, size, "%c.%s@example.org", first[0] ? first[0] : 'x', last);
      break;
    default:
      g_snprintf (text, size, "%s.%s%u@example.net", last, first, parent->mail_number);
      break;
    }
}

static gboolean
write_parent (Writer            *w,
              const DemoParent  *parent,
              GError           **error)
{
  const DemoAddress *address = &parent->address;
  char text[256];

  if (!record_open (w, "categoriePersonne", "PersRelEleve", parent->key, NULL, error))
    return FALSE;

  attrf (w, "ENTPersonJointure", "%u", parent->key);
  attr (w, "ENTPersonDateNaissance", NULL);
  attr_upper (w, "ENTPersonNomPatro", parent->birth_last);
  attr (w, "sn", parent->last);
  attr (w, "givenName", parent->first);
  attr (w, "personalTitle", parent->woman ? "Mme" : "M.");

  /* Numbers from the ranges reserved for fiction. */
  if (parent->home)
    attrf (w, "homePhone", "046571%04u", parent->home - 1);
  else
    put (w, "<attr name=\"homePhone\"><value></value></attr>" EOL);
  if (parent->work)
    attrf (w, "telephoneNumber", "019900%04u", parent->work - 1);
  else
    attr (w, "telephoneNumber", NULL);
  if (parent->mobile)
    attrf (w, "mobile", "063998%04u", parent->mobile - 1);
  else
    attr (w, "mobile", NULL);

  if (parent->mail_style != 0)
    {
      parent_mail (parent, text, sizeof text);
      attr (w, "mail", text);
    }
  else
    attr (w, "mail", NULL);

  /* One line, or four joined by $ (the fourth often empty). */
  if (address->lines == 4)
    {
      if (address->flat % 3 == 0)
        g_snprintf (text, sizeof text, "Appartement %u$%s$%u %s$BP %u", address->flat, address->residence,
                    address->number, address->street, 100 + address->number);
      else
        g_snprintf (text, sizeof text, "Appartement %u$%s$%u %s$", address->flat, address->residence,
                    address->number, address->street);
    }
  else
    g_snprintf (text, sizeof text, "%u %s", address->number, address->street);
  attr (w, "ENTPersonAdresse", text);

  if (address->abroad != G_MAXUINT8)
    {
      attr (w, "ENTPersonCodePostal", w->t->abroad[address->abroad].postal_code);
      attr (w, "ENTPersonVille", w->t->abroad[address->abroad].aaf);
      attr (w, "ENTPersonPays", "SUISSE");
    }
  else
    {
      attr (w, "ENTPersonCodePostal", w->t->cities[address->city].postal_code);
      attr (w, "ENTPersonVille", w->t->cities[address->city].aaf);
      attr (w, "ENTPersonPays", "FRANCE");
    }

  record_close (w);
  return TRUE;
}

static gboolean
is_adult (const DemoAcademy *academy,
          const DemoPupil   *pupil)
{
  guint date = (guint) g_ascii_strtoull (academy->date, NULL, 10);
  guint eighteenth = (pupil->birth_year + 18) * 10000 + pupil->birth_month * 100 + pupil->birth_day;

  return eighteenth <= date;
}

static gboolean
write_pupil (Writer            *w,
             const DemoSchool  *school,
             const DemoPupil   *pupil,
             GError           **error)
{
  const DemoTables *t = w->t;
  const DemoLevel *level = &t->levels[pupil->level];
  const DemoFamily *family = &g_array_index (school->families, DemoFamily, pupil->family);
  const DemoParent *parents = &g_array_index (school->parents, DemoParent, family->first_parent);
  const DemoClass *klass = &g_array_index (school->classes, DemoClass, pupil->klass);
  char last[128];
  char text[128];

  if (!record_open (w, "categoriePersonne", "Eleve", pupil->key, NULL, error))
    return FALSE;

  if (pupil->last2 != NULL)
    g_snprintf (last, sizeof last, "%s %s", pupil->last, pupil->last2);
  else
    g_strlcpy (last, pupil->last, sizeof last);

  attrf (w, "ENTPersonJointure", "%u", pupil->key);
  attrf (w, "ENTEleveStructRattachId", "%u", 100000 + pupil->ine % 900000);
  attr_date (w, pupil->birth_day, pupil->birth_month, pupil->birth_year);
  attr_upper (w, "ENTPersonNomPatro", last);
  attr (w, "sn", last);
  attr (w, "givenName", pupil->first);
  attr (w, "ENTPersonAutresPrenoms", pupil->other_first);
  attr (w, "personalTitle", pupil->girl ? "Mme" : "M.");
  attrf (w, "ENTEleveINE", "%010u%c", pupil->ine, 'A' + pupil->ine % 26);
  attr (w, "ENTEleveMajeur", is_adult (w->academy, pupil) ? "O" : "N");

  /* The older attributes, still in exports beside ENTElevePersRelEleve. */
  for (guint pass = 0; pass < 4; pass++)
    {
      static const char * const names[] = {
        "ENTEleveParents", "ENTElevePere", "ENTEleveMere", "ENTEleveAutoriteParentale",
      };
      gboolean any = FALSE;

      attr_open (w, names[pass]);
      for (guint i = 0; i < family->n_parents; i++)
        {
          const DemoParent *parent = &parents[i];

          if ((pass == 0 && (parent->relationship == DEMO_REL_MOTHER || parent->relationship == DEMO_REL_FATHER)) ||
              (pass == 1 && parent->relationship == DEMO_REL_FATHER && !any) ||
              (pass == 2 && parent->relationship == DEMO_REL_MOTHER && !any) ||
              (pass == 3 && parent->legal))
            {
              g_snprintf (text, sizeof text, "%u", parent->key);
              value (w, text);
              any = TRUE;
            }
        }
      if (!any)
        value (w, NULL);
      attr_close (w);
    }

  put (w, "<attr name=\"ENTElevePersRelEleve1\"><value/></attr>" EOL
          "<attr name=\"ENTEleveQualitePersRelEleve1\"><value/></attr>" EOL
          "<attr name=\"ENTElevePersRelEleve2\"><value/></attr>" EOL
          "<attr name=\"ENTEleveQualitePersRelEleve2\"><value/></attr>" EOL);

  attr_open (w, "ENTElevePersRelEleve");
  for (guint i = 0; i < family->n_parents + pupil->repeat_parent; i++)
    {
      const DemoParent *parent = &parents[i % family->n_parents];

      g_snprintf (text, sizeof text, "%u$%u$%u$%u$%u$%u", parent->key, parent->relationship,
                  parent->financial, parent->legal, parent->contact, parent->payment);
      value (w, text);
    }
  attr_close (w);
  w->counts.guardian_links += family->n_parents;

  attr (w, "ENTEleveBoursier", pupil->scholarship ? "O" : "N");
  attr (w, "ENTEleveRegime", t->regimes.items[pupil->regime]);
  attr (w, "ENTEleveTransport", pupil->transport ? "O" : "N");
  attr (w, "ENTEleveStatutEleve", "SCOLAIRE");
  attr (w, "ENTEleveMEF", level->mef);
  attr (w, "ENTEleveLibelleMEF", level->mef_label);
  attr (w, "ENTEleveNivFormation", level->mef_label);
  attr (w, "ENTEleveFiliere", level->mef_label);

  /* What the pupil is taught: the level's subjects, then language and option. */
  for (guint pass = 0; pass < 2; pass++)
    {
      attr_open (w, pass == 0 ? "ENTEleveEnseignements" : "ENTEleveCodeEnseignements");
      for (guint i = 0; i < t->n_subjects + t->n_extra_subjects; i++)
        {
          const DemoSubject *subject = i < t->n_subjects ? &t->subjects[i] : &t->extra_subjects[i - t->n_subjects];
          gboolean taught = subject->teaching == DEMO_TEACH_CLASS && (subject->levels & (1 << pupil->level));

          for (guint g = 0; g < pupil->n_groups && !taught; g++)
            taught = g_array_index (school->groups, DemoGroup, pupil->groups[g]).subject == (gint) i;
          if (taught)
            value (w, pass == 0 ? subject->label : subject->code);
        }
      attr_close (w);
    }

  attrf (w, "ENTPersonStructRattach", "%u", school->jointure);
  attrf (w, "ENTEleveClasses", "%u$%s", school->jointure, klass->code);
  attr_open (w, "ENTEleveGroupes");
  for (guint g = 0; g < pupil->n_groups; g++)
    {
      g_snprintf (text, sizeof text, "%u$%s", school->jointure,
                  g_array_index (school->groups, DemoGroup, pupil->groups[g]).code);
      value (w, text);
    }
  if (pupil->n_groups == 0)
    value (w, NULL);
  attr_close (w);

  record_close (w);
  return TRUE;
}

/* Writes the records of one kind for one establishment. In an
 * academy-wide set, a guardian shared by two establishments is written
 * once, by the first. */
static gboolean
write_kind (Writer            *w,
            Kind               kind,
            const DemoSchool  *school,
            GError           **error)
{
  gboolean academy_wide = (w->options->flags & SESAME_DEMO_DIRECTORY_ACADEMY_WIDE) != 0;

  switch (kind)
    {
    case KIND_ESTABLISHMENT:
      return write_establishment (w, school, error);

    case KIND_SUBJECT:
      return write_subjects (w, error);

    case KIND_STAFF:
      for (guint i = 0; i < school->staff->len; i++)
        if (!write_staff (w, school, &g_array_index (school->staff, DemoStaff, i), error))
          return FALSE;
      return TRUE;

    case KIND_PARENT:
      for (guint i = 0; i < school->parents->len; i++)
        {
          const DemoParent *parent = &g_array_index (school->parents, DemoParent, i);

          if ((parent->owned || !academy_wide) && !write_parent (w, parent, error))
            return FALSE;
        }
      return TRUE;

    case KIND_PUPIL:
      for (guint i = 0; i < school->pupils->len; i++)
        if (!write_pupil (w, school, &g_array_index (school->pupils, DemoPupil, i), error))
          return FALSE;
      return TRUE;

    case N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

static void
count_school (Writer           *w,
              const DemoSchool *school)
{
  w->counts.establishments++;
  w->counts.pupils += school->pupils->len;
  w->counts.staff += school->staff->len;
  for (guint i = 0; i < school->parents->len; i++)
    w->counts.parents += g_array_index (school->parents, DemoParent, i).owned;
}

static gboolean
write_per_establishment (Writer  *w,
                         GError **error)
{
  for (guint e = 0; e < w->academy->n_schools; e++)
    {
      g_autoptr(DemoSchool) school = _sesame_demo_school_build (w->academy, e);

      count_school (w, school);
      for (Kind kind = 0; kind < N_KINDS; kind++)
        if (!file_open (w, kind, 0, school->uai, error) ||
            !write_kind (w, kind, school, error) ||
            !file_close (w, error))
          return FALSE;
    }
  return TRUE;
}

static gboolean
write_academy_wide (Writer  *w,
                    GError **error)
{
  for (Kind kind = 0; kind < N_KINDS; kind++)
    {
      if (!file_open (w, kind, 0, NULL, error))
        return FALSE;

      if (kind == KIND_SUBJECT)
        {
          if (!write_subjects (w, error))
            return FALSE;
        }
      else
        {
          /* Establishments are rebuilt for each kind rather than kept:
           * memory stays that of the largest one. */
          for (guint e = 0; e < w->academy->n_schools; e++)
            {
              g_autoptr(DemoSchool) school = _sesame_demo_school_build (w->academy, e);

              if (kind == KIND_ESTABLISHMENT)
                count_school (w, school);
              if (!write_kind (w, kind, school, error))
                return FALSE;
            }
        }

      if (!file_close (w, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_date (const char  *date,
            GError     **error)
{
  guint64 number;

  if (strlen (date) == 8 &&
      g_ascii_string_to_unsigned (date, 10, 19000101, 29991231, &number, NULL) &&
      g_date_valid_dmy (number % 100, (number / 100) % 100, number / 10000))
    return TRUE;

  g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
               _("The export date “%s” is not a date written YYYYMMDD."), date);
  return FALSE;
}

/**
 * sesame_demo_directory_options_init:
 * @options: (out caller-allocates): options to fill
 *
 * Fills @options with the defaults: two establishments, 600 pupils,
 * seed 1, one set of files per establishment, dated 2 September 2024.
 */
void
sesame_demo_directory_options_init (SesameDemoDirectoryOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->n_establishments = 2;
  options->n_pupils = 600;
  options->seed = 1;
  options->flags = SESAME_DEMO_DIRECTORY_FLAGS_NONE;
  options->chunk_records = DEFAULT_CHUNK_RECORDS;
  options->date = NULL;
}

/**
 * sesame_demo_directory_write:
 * @folder: where to write the files; created if needed
 * @n_establishments: how many establishments (1 to 10,000)
 * @n_pupils: how many pupils in all (at most 1,000,000)
 * @seed: the same seed writes the same bytes
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes a demo academy directory as complete AAF exports, one set of five
 * files per establishment: `ENT_<UAI>_Complet_20240902_<Kind>_0000.xml` for
 * EtabEducNat, MatiereEducNat, PersEducNat, PersRelEleve and Eleve. Pupils
 * come with about 1.4 guardians each, the establishments with their head,
 * CPE, librarian, secretaries and teachers. See
 * sesame_demo_directory_write_full() for academy-wide sets.
 *
 * It blocks on the disk; it fails with the errors of
 * sesame_demo_directory_write_full().
 *
 * Returns: %TRUE on success; on failure no file is left behind
 */
gboolean
sesame_demo_directory_write (const char    *folder,
                             guint          n_establishments,
                             guint          n_pupils,
                             guint32        seed,
                             GCancellable  *cancellable,
                             GError       **error)
{
  SesameDemoDirectoryOptions options;

  sesame_demo_directory_options_init (&options);
  options.n_establishments = n_establishments;
  options.n_pupils = n_pupils;
  options.seed = seed;
  return sesame_demo_directory_write_full (folder, &options, NULL, cancellable, error);
}

/**
 * sesame_demo_directory_write_full:
 * @folder: where to write the files; created if needed
 * @options: what to write
 * @counts: (out caller-allocates) (optional): what was written
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes a demo academy directory as complete AAF exports, per
 * establishment or, with %SESAME_DEMO_DIRECTORY_ACADEMY_WIDE, as one
 * academy-wide set of `FULL_ENTTSSERVICES_Complet_<date>_<Kind>_<NNNN>.xml`
 * files of at most @options->chunk_records records each.
 *
 * It blocks on the disk and opens no store. It fails with
 * %SESAME_ERROR_INVALID for options out of range (an export date that is
 * not YYYYMMDD, no establishment or too many) and %SESAME_ERROR_FAILED
 * when a file cannot be written, naming it.
 *
 * Returns: %TRUE on success; on failure no file is left behind
 */
gboolean
sesame_demo_directory_write_full (const char                        *folder,
                                  const SesameDemoDirectoryOptions  *options,
                                  SesameDemoDirectoryCounts         *counts,
                                  GCancellable                      *cancellable,
                                  GError                           **error)
{
  g_autoptr(DemoAcademy) academy = NULL;
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *buffer = NULL;
  SesameDemoDirectoryOptions effective;
  Writer w = { 0 };
  gboolean ok;

  g_return_val_if_fail (folder != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  effective = *options;
  if (effective.chunk_records == 0)
    effective.chunk_records = DEFAULT_CHUNK_RECORDS;
  if (effective.date == NULL)
    effective.date = DEFAULT_DATE;

  if (effective.n_establishments < 1 || effective.n_establishments > DEMO_MAX_SCHOOLS)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("A demo directory has 1 to %u establishments."), DEMO_MAX_SCHOOLS);
      return FALSE;
    }
  if (effective.n_pupils > DEMO_MAX_PUPILS)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("A demo directory has at most %u pupils."), DEMO_MAX_PUPILS);
      return FALSE;
    }
  if (!check_date (effective.date, error))
    return FALSE;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                   _("Cannot create the folder “%s”: %s"), folder, g_strerror (saved));
      return FALSE;
    }

  academy = _sesame_demo_academy_new (effective.seed, effective.n_establishments,
                                      effective.n_pupils, effective.date);
  buffer = g_malloc (BUFFER_SIZE);

  w.options = &effective;
  w.academy = academy;
  w.t = _sesame_demo_tables ();
  w.folder = folder;
  w.cancellable = cancellable;
  w.written = written;
  w.buffer = buffer;
  w.counts.subjects = w.t->n_subjects + w.t->n_extra_subjects;

  if (effective.flags & SESAME_DEMO_DIRECTORY_ACADEMY_WIDE)
    ok = write_academy_wide (&w, error);
  else
    ok = write_per_establishment (&w, error);

  if (!ok)
    {
      file_abort (&w);
      for (guint i = 0; i < written->len; i++)
        g_unlink (g_ptr_array_index (written, i));
      return FALSE;
    }

  if (counts != NULL)
    *counts = w.counts;
  return TRUE;
}
