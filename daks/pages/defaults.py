"""Default texts of the legal pages and of the page in Leichte Sprache (German). The operator of an
installation must complete the legal pages.

Used by the data migration that creates the pages and as a fallback when a legal page is missing
(e.g. in a freshly flushed test database): the page is then created from these texts.
"""

IMPRESSUM = """\
**Muster – bitte vollständig ausfüllen.** Dieses Impressum ist eine Vorlage. Die Betreiberin dieser
DAKS-Installation muss alle Angaben in eckigen Klammern durch ihre eigenen ersetzen (in der Redaktion
unter „Seiten“) und diesen Hinweis danach entfernen.

## Angaben gemäß § 5 DDG

Betreiberin dieser Installation: [Name der Behörde/Organisation eintragen]\\
[Straße und Hausnummer]\\
[Postleitzahl und Ort]

Vertreten durch: [Name der vertretungsberechtigten Person, z. B. Bürgermeisterin, Landrat, Vorstand]

## Kontakt

- Telefon: [Telefonnummer]
- E-Mail: [E-Mail-Adresse]

## Aufsichtsbehörde und Register

[Zuständige Aufsichtsbehörde, falls vorhanden]\\
[Registergericht und Registernummer bzw. Umsatzsteuer-Identifikationsnummer, falls vorhanden]

## Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV

[Name und Anschrift der verantwortlichen Person]

## Inhalte der Kommunen

Die Arbeitsstände, Pläne und Beiträge in den Arbeitsbereichen werden von den jeweiligen Kommunen
und ihren Teams erstellt und verantwortet.

## Software

DAKS – Demografie-Assistenz für kommunale Strategien – ist freie Software (Open Source). Die
Betreiberin ist für diese Installation verantwortlich, nicht die Entwicklerinnen und Entwickler der
Software.
"""

DATENSCHUTZ = """\
**Muster – bitte prüfen und ergänzen.** Diese Datenschutzerklärung beschreibt, was die Software DAKS
verarbeitet. Die Betreiberin dieser Installation muss die Angaben in eckigen Klammern ergänzen, die
Erklärung mit ihrer oder ihrem Datenschutzbeauftragten abstimmen und diesen Hinweis danach entfernen.

## Verantwortliche Stelle

[Name der Behörde/Organisation eintragen]\\
[Anschrift]\\
E-Mail: [E-Mail-Adresse]

Datenschutzbeauftragte/r: [Name und Kontaktdaten eintragen]

## Grundsatz

DAKS verarbeitet nur die Daten, die für die Nutzung nötig sind. Es gibt **keine Analyse- oder
Tracking-Werkzeuge**, **keine Werbung**, **keine Einbindung von Diensten Dritter**, **kein Content
Delivery Network (CDN)** und **keine externen Schriftarten**: Alle Dateien kommen von diesem Server,
Ihr Browser nimmt beim Besuch keine Verbindung zu anderen Anbietern auf.

## Welche Daten wir verarbeiten

### Konto

Wenn Sie sich registrieren, speichern wir Ihren Namen, Ihre E-Mail-Adresse, Ihre Sprache und Ihr
Passwort (nur als sicherer Hash-Wert, nie im Klartext). Wenn Sie die Zwei-Faktor-Anmeldung
einrichten, speichern wir das dazu nötige Geheimnis verschlüsselt und Ihre Wiederherstellungscodes.
Rechtsgrundlage ist Art. 6 Abs. 1 lit. b DSGVO (Nutzungsvertrag) bzw. [bei Behörden: Art. 6 Abs. 1
lit. e DSGVO in Verbindung mit der einschlägigen landesrechtlichen Vorschrift eintragen].

### Mitarbeit in Kommunen

Wenn Sie im Team einer Kommune mitarbeiten, sehen die anderen Mitglieder dieses Teams Ihren Namen,
Ihre Rolle und die Inhalte, die Sie dort anlegen oder ändern. Wichtige Änderungen werden in einem
Änderungsprotokoll der Kommune festgehalten.

### E-Mails

Wir senden Ihnen E-Mails nur, wenn es für die Nutzung nötig ist: zur Bestätigung Ihrer
E-Mail-Adresse, zum Zurücksetzen des Passworts, bei Einladungen und Beitrittsanfragen. Es gibt
keinen Newsletter und keine Zählung, ob E-Mails geöffnet werden. Für den Versand nutzen wir
[Mailserver bzw. Dienstleister eintragen].

### Cookies

DAKS setzt nur technisch notwendige Cookies: ein Sitzungs-Cookie, das Sie nach der Anmeldung
angemeldet hält, ein Cookie zum Schutz von Formularen vor Missbrauch (CSRF) und – wenn Sie die Sprache
wechseln – ein Cookie mit Ihrer Sprachwahl. Eine Einwilligung ist dafür nicht erforderlich
(§ 25 Abs. 2 Nr. 2 TDDDG).

### Server-Protokolle

Beim Aufruf jeder Seite verarbeitet der Server technisch bedingt Ihre IP-Adresse, Datum und Uhrzeit,
die aufgerufene Adresse und die Kennung Ihres Browsers. Diese Protokolle dienen der Sicherheit und
Fehlersuche und werden nach [Anzahl] Tagen gelöscht. Zum Schutz vor Angriffen auf Konten wird die
Zahl fehlgeschlagener Anmeldeversuche kurzzeitig gespeichert.

## Speicherdauer und Löschung

Ihre Kontodaten speichern wir, solange Sie Ihr Konto nutzen. Sie können Ihr Konto jederzeit selbst
unter „Mein Konto“ löschen. Dabei werden Ihre Kontodaten gelöscht; Ihre Mitgliedschaften enden.
Kommunen, in denen Sie das einzige Mitglied sind, werden mit allen Inhalten gelöscht. Inhalte, die
Sie in weiterhin bestehenden Kommunen erstellt haben, bleiben dort erhalten; als Urheber wird dann
„gelöschtes Konto“ angezeigt.

## Ihre Rechte

Sie haben nach der Datenschutz-Grundverordnung das Recht auf Auskunft (Art. 15), Berichtigung
(Art. 16), Löschung (Art. 17), Einschränkung der Verarbeitung (Art. 18), Datenübertragbarkeit
(Art. 20) und Widerspruch (Art. 21). Wenden Sie sich dazu an die oben genannte Stelle. Sie können
sich außerdem bei einer Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO), zuständig ist
[zuständige Aufsichtsbehörde eintragen].

## Empfänger und Übermittlung

Ihre Daten werden nicht verkauft und nicht für Werbung genutzt. Eine Übermittlung in Länder außerhalb
der EU findet nicht statt. Der Betrieb erfolgt bei [Rechenzentrum bzw. Hosting-Dienstleister eintragen].
"""

BARRIEREFREIHEIT = """\
**Muster – bitte prüfen und ergänzen.** Diese Erklärung folgt der Mustererklärung zur Barrierefreiheit
(Durchführungsbeschluss (EU) 2018/1523) und § 7 der Barrierefreie-Informationstechnik-Verordnung
(BITV 2.0). Die Betreiberin dieser Installation muss die Angaben in eckigen Klammern ergänzen, die
Bewertung nach ihrer eigenen Prüfung anpassen und diesen Hinweis danach entfernen. Für Kommunen und
Landesbehörden gelten die Gesetze und Verordnungen des jeweiligen Landes; sie verweisen meist auf
dieselben Anforderungen.

[Name der Behörde/Organisation eintragen] ist bemüht, ihre Website im Einklang mit dem
Behindertengleichstellungsgesetz (BGG) und der Barrierefreie-Informationstechnik-Verordnung
(BITV 2.0) beziehungsweise den entsprechenden landesrechtlichen Vorschriften zur Umsetzung der
Richtlinie (EU) 2016/2102 barrierefrei zugänglich zu machen.

Diese Erklärung zur Barrierefreiheit gilt für die DAKS-Installation unter [Adresse der Website
eintragen].

## Stand der Vereinbarkeit mit den Anforderungen

Die Anforderungen ergeben sich aus § 3 Absatz 1 bis 4 und § 4 BITV 2.0. Maßgeblich ist die
harmonisierte Norm EN 301 549; für Websites übernimmt sie die Web Content Accessibility Guidelines
(WCAG) 2.1 auf Stufe AA.

Diese Website ist mit den Anforderungen **teilweise vereinbar**. Die Unvereinbarkeiten und
Ausnahmen sind im nächsten Abschnitt aufgeführt. Die Bewertung beruht auf einer Selbstbewertung:

- Jede Änderung der Software wird automatisch mit dem Prüfwerkzeug axe-core auf häufige Barrieren
  geprüft (zum Beispiel fehlende Beschriftungen, Kontraste, Überschriftenstruktur).
- Die fünf Schritte des Strategieprozesses, der Werkzeugkoffer, das Netzwerk und die Anmeldung
  werden automatisch allein mit der Tastatur durchlaufen; der Tastaturfokus ist dabei sichtbar.
- [Ergebnis einer eigenen Prüfung eintragen, zum Beispiel eines BITV-Tests oder einer Prüfung mit
  Screenreadern, mit Datum.]

Die Barrierefreiheit **wird laufend geprüft**.

## Nicht barrierefreie Inhalte

Die folgenden Inhalte sind nicht oder nicht vollständig barrierefrei.

### Unvereinbarkeiten mit der BITV 2.0

- **Prüfung durch Fachleute:** Eine Prüfung durch Expertinnen und Experten und mit Screenreadern
  steht noch aus. Automatische Prüfungen finden nicht alle Barrieren, zum Beispiel unklare Linktexte
  oder eine ungünstige Vorlesereihenfolge. Geplant ist die Prüfung für [Datum eintragen].
- **Exporte als PDF, ODT und DOCX** (zum Beispiel der Werkstattplan) sind gegliedert, aber noch
  nicht als barrierefreie Dokumente (PDF/UA) geprüft. Dieselben Inhalte stehen als Webseite zur
  Verfügung.
- **Deutsche Gebärdensprache:** Erklärungen in Deutscher Gebärdensprache (§ 4 BITV 2.0) fehlen noch.
  [Zeitplan eintragen.] Eine Erklärung in Leichter Sprache finden Sie auf der Seite
  [Leichte Sprache](/leichte-sprache/).
- [Weitere bekannte Einschränkungen mit Begründung eintragen.]

### Inhalte Dritter

- **Inhalte der Kommunen:** Dokumente und Bilder, die Kommunen selbst hochladen (zum Beispiel
  PDF-Dateien in der Bestandsaufnahme), und Beiträge von Teilnehmenden sind nicht in jedem Fall
  barrierefrei. Sie stammen von Dritten; verantwortlich sind die jeweiligen Kommunen.
- **Eingebettete Videos** im Werkzeugkoffer kommen von externen Anbietern und werden erst nach einem
  Klick geladen. Ob Untertitel oder Audiodeskription vorhanden sind, bestimmt der jeweilige Anbieter.

## Erstellung dieser Erklärung

Diese Erklärung wurde am [Datum eintragen] erstellt und zuletzt am [Datum eintragen] überprüft.
Sie beruht auf einer Selbstbewertung [gegebenenfalls: und einer Prüfung durch Dritte vom Datum].

## Feedback und Kontaktangaben

Sind Ihnen Mängel beim barrierefreien Zugang zu Inhalten dieser Website aufgefallen? Oder benötigen
Sie Informationen, die nicht barrierefrei sind, in einer barrierefreien Form? Dann melden Sie sich
bitte bei uns:

- Formular: [Barriere melden](/barrierefreiheit/barriere-melden/) – Name und E-Mail-Adresse sind
  freiwillig
- E-Mail: [E-Mail-Adresse der Feedback-Stelle eintragen]
- Telefon: [Telefonnummer eintragen]
- Post: [Anschrift eintragen]

Wir antworten Ihnen so schnell wie möglich, spätestens innerhalb von [Frist eintragen, zum Beispiel
einem Monat].

## Schlichtungsverfahren

Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, können Sie bei der
**Schlichtungsstelle nach § 16 BGG** einen Antrag auf ein Schlichtungsverfahren stellen. Die
Schlichtungsstelle hilft bei Konflikten zur Barrierefreiheit zwischen Menschen mit Behinderungen und
öffentlichen Stellen des Bundes, eine Lösung ohne Gericht zu finden. Das Schlichtungsverfahren ist
kostenlos. Sie brauchen keine Rechtsvertretung.

Schlichtungsstelle nach dem Behindertengleichstellungsgesetz\\
bei dem Beauftragten der Bundesregierung für die Belange von Menschen mit Behinderungen\\
Mauerstraße 53\\
10117 Berlin\\
E-Mail: [info@schlichtungsstelle-bgg.de](mailto:info@schlichtungsstelle-bgg.de)\\
Website: [www.schlichtungsstelle-bgg.de](https://www.schlichtungsstelle-bgg.de)

**Für Kommunen und Landesbehörden** ist die Schlichtungs- oder Durchsetzungsstelle des jeweiligen
Landes zuständig: [zuständige Stelle des Landes mit Anschrift und Website eintragen].
"""


def _one_sentence_per_line(text: str) -> str:
    """End every line of a paragraph with a hard line break (Markdown ``\\``): one sentence, one line."""
    lines = text.split("\n")
    result = []
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        joined = line.strip() and following.strip()
        if joined and not any(part.lstrip().startswith(("#", "- ")) for part in (line, following)):
            line += "\\"
        result.append(line)
    return "\n".join(result)


# Leichte Sprache: short sentences, one statement per sentence, hard words explained, no passive, no
# abbreviations and no genitive; long words split with a middle dot (Mediopunkt). The page is shown
# with a larger line height (pages/easy-language.css).
LEICHTE_SPRACHE = _one_sentence_per_line("""\
## Was ist DAKS?

DAKS ist eine Internet·seite.
DAKS ist für Städte und Gemeinden.
Ein anderes Wort für Städte und Gemeinden ist: Kommunen.
Kommunen planen mit DAKS ihre Zukunft.

DAKS ist eine Abkürzung.
Das lange Wort ist: Demografie-Assistenz für kommunale Strategien.
Das ist schwer.
Wir erklären es hier in Leichter Sprache.

## Was ist demo·grafischer Wandel?

Demo·grafie bedeutet:
Wie viele Menschen wohnen in einem Ort?
Und wie alt sind die Menschen?

Die Menschen in einem Ort verändern sich mit der Zeit.
Zum Beispiel:

- Es gibt mehr alte Menschen.
- Es gibt weniger Kinder.
- Junge Menschen ziehen weg.
- Neue Menschen ziehen in den Ort.

Das nennt man: demo·grafischer Wandel.
Wandel bedeutet: Veränderung.

Dann braucht der Ort andere Dinge.
Zum Beispiel:

- mehr Ärztinnen und Ärzte
- Wohnungen für alte Menschen
- Busse auf dem Land

Die Kommune plant das.
DAKS hilft der Kommune dabei.

## Der Plan in 5 Schritten

Eine Kommune macht einen Plan für die Zukunft.
Ein anderes Wort für so einen Plan ist: Strategie.
Mit DAKS macht die Kommune den Plan in 5 Schritten.

### Schritt 1: Der Start

Viele Menschen aus der Kommune treffen sich.
Zum Beispiel: die Bürger·meisterin, Menschen aus dem Gemeinde·rat und aus Vereinen.
Alle sprechen über die Ziele.
Auf DAKS heißt dieser Schritt: Kick-off.
Kick-off ist ein englisches Wort.
Es bedeutet: Start.

### Schritt 2: Die Kommune genau anschauen

Die Kommune sammelt Zahlen.
Zum Beispiel:

- Wie viele Menschen wohnen in der Kommune?
- Wie alt sind die Menschen?

Die Kommune fragt auch viele Menschen nach ihrer Meinung.
Dann schreibt die Kommune auf:

- Was ist gut in unserer Kommune?
- Was ist schlecht in unserer Kommune?

Auf DAKS heißt dieser Schritt: Kommunal·profil.

### Schritt 3: Ideen sammeln

Die Bürgerinnen und Bürger kommen zu einem Treffen.
Alle dürfen Ideen sagen.
Sie können Ideen auch im Internet aufschreiben.
Dafür brauchen Sie kein Konto.
Am Ende wählen alle zusammen die besten Ideen aus.
Auf DAKS heißt dieser Schritt: Zukunfts·werkstatt.

### Schritt 4: Den Plan aufschreiben

Die Kommune schreibt den Plan auf.
In dem Plan steht:

- Was wollen wir erreichen?
- Was machen wir dafür?
- Wer macht es?
- Bis wann machen wir es?

Auf DAKS heißt dieser Schritt: Werkstatt·plan.

### Schritt 5: Nachschauen

Nach einiger Zeit schaut die Kommune nach:

- Was hat gut geklappt?
- Was hat nicht geklappt?

Dann ändert die Kommune den Plan.
Auf DAKS heißt dieser Schritt: Zwischen·bilanz.

## Was gibt es noch auf DAKS?

### Der Werkzeug·koffer

Im Werkzeug·koffer stehen viele Tipps.
Die Tipps helfen den Kommunen bei der Arbeit.
Ein Tipp erklärt zum Beispiel: So macht man eine gute Umfrage.
Bei einer Umfrage fragt man viele Menschen nach ihrer Meinung.

### Das Netzwerk

Im Netzwerk stellen sich Kommunen vor.
Die Kommunen lernen voneinander.
Sie können sich auch gegenseitig Fragen stellen.

### Zahlen über die Kommunen

DAKS zeigt Zahlen über die Menschen in jeder Kommune.
DAKS rechnet auch aus:
So viele Menschen wohnen vielleicht in 20 Jahren in der Kommune.
Das ist eine Schätzung.
Schätzung bedeutet: Niemand weiß es genau.

## Wer kann DAKS benutzen?

Alle Menschen können DAKS anschauen.
Zum Beispiel den Werkzeug·koffer und das Netzwerk.
Dafür brauchen Sie kein Konto.

Ein Konto ist Ihr eigener Zugang zu DAKS.
Für ein Konto brauchen Sie eine E-Mail-Adresse und ein Passwort.
Ein Passwort ist ein geheimes Wort.
Nur Sie kennen Ihr Passwort.
Das Konto kostet nichts.
Mit einem Konto können Sie in einer Kommune mitarbeiten.
Dafür lädt die Kommune Sie ein.

## Ihre Daten

Daten sind zum Beispiel: Ihr Name und Ihre E-Mail-Adresse.
DAKS speichert nur wenige Daten.
DAKS braucht diese Daten für die Arbeit.
DAKS verkauft Ihre Daten nicht.
DAKS zeigt keine Werbung.
Mehr dazu steht in der [Daten·schutz·erklärung](/datenschutz/).
Die Daten·schutz·erklärung ist in schwerer Sprache.

## Sie haben ein Problem mit DAKS?

Vielleicht können Sie etwas auf DAKS nicht gut benutzen.
Zum Beispiel:

- Die Schrift ist zu klein.
- Ein Vorlese·programm liest etwas falsch vor.
- Sie können ein Feld nur mit der Maus erreichen.

So ein Problem heißt: Barriere.
Bitte sagen Sie uns Bescheid.
Wir kümmern uns dann um das Problem.
Hier können Sie uns schreiben: [Barriere melden](/barrierefreiheit/barriere-melden/)
Sie müssen Ihren Namen nicht sagen.
""")

DEFAULT_PAGES = {
    "impressum": ("Impressum", IMPRESSUM),
    "datenschutz": ("Datenschutzerklärung", DATENSCHUTZ),
    "barrierefreiheit": ("Erklärung zur Barrierefreiheit", BARRIEREFREIHEIT),
    "leichte-sprache": ("Leichte Sprache", LEICHTE_SPRACHE),
}

#: Pages written in Leichte Sprache (shown with a larger line height and font).
EASY_LANGUAGE_PAGES = {"leichte-sprache"}
