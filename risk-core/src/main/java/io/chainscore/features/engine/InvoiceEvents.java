package io.chainscore.features.engine;

import io.chainscore.trade.TradeRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The credit notes and disputes known at the as-of date D, by invoice: what a reader joins onto
 * the invoices it feeds the engine ({@link InvoiceColumns#returnedAmount} = the credit notes booked
 * on or before D, {@link InvoiceColumns#disputed} = a dispute opened on or before D). Events
 * booked after D are dropped as they are added, so nothing after D reaches a feature.
 *
 * <p>An event names its invoice and its supplier; it applies to the invoice with that id of that
 * supplier. Events that no invoice claimed by the end are reported by {@link #reportUnclaimed}
 * with field {@code invoice_id}. Several credit notes of one invoice are summed in the order added.
 *
 * <p>Memory: one entry per invoice with an event booked by D (a few percent of the invoices) and
 * one report per event, in flat arrays: the ids' characters in one shared array, an open-addressing
 * table of entry numbers while events are added, no object per entry or event. A map of String
 * keys to entry objects holding each event's {@link BadRecord} took about 600 MB for the 2.1M
 * invoices with events of a 200,000-supplier portfolio (class histogram); with these arrays the
 * whole live heap after the reference tables is 266 MB where it was over 520 MB. A lookup hashes
 * the id and compares the characters of the entry it finds, so it is exact.
 *
 * <p>Lookups go through the entries grouped by supplier (built at the first lookup, when the
 * events are in and the open-addressing table is dropped): an invoice is looked up among its own
 * supplier's entries only, behind a 64-bit mask of their id hashes. A reader streams invoices
 * supplier by supplier, so the mask and the entries it reads stay in cache for the whole run of a
 * supplier; the global filter and table this replaced were read at random for every invoice
 * (about 9 of the 17 CPU-seconds of the invoice stage at 200,000 suppliers / 50M invoices).
 *
 * <p>Thread safety: none; one reader thread fills and queries it.
 */
public final class InvoiceEvents {
  private static final int NO_ENTRY = -1;
  private static final byte DISPUTED = 1;
  private static final byte CLAIMED = 2;

  private final int asOfDay;

  /**
   * The characters of every id kept (invoice, supplier and record ids), end to end: one byte each
   * ({@code narrow}, Latin-1) while every id kept is Latin-1, which ids nearly always are, else two
   * ({@code wide}, UTF-16, the narrow ones copied over at the first other id; {@code narrow} is
   * then null). At a million suppliers these are hundreds of megabytes of the run's heap.
   */
  private byte[] narrow = new byte[1 << 10];
  private char[] wide;
  private int charCount;

  /**
   * Open addressing over entry numbers (NO_ENTRY when free); a power of two, at most half full.
   * Null once the supplier index is built (events are all added before the invoices stream);
   * rebuilt should an event be added after a lookup.
   */
  private int[] slots;

  /** Per entry: its supplier index, invoice id (start and length in chars), hash, credited, flags. */
  private int entryCount;
  private int[] supplier;
  private int[] idStart;
  private int[] idLength;
  private int[] idHash;
  private double[] credited;
  private byte[] flags;
  /** Per entry: the supplier id its first event gave (start and length in chars), for the report. */
  private int[] supplierIdStart;
  private int[] supplierIdLength;

  /** Per event, in the order added: its entry, table (index in tables), row and record id. */
  private int eventCount;
  private int[] eventEntry;
  private byte[] eventTable;
  private long[] eventRow;
  private int[] recordIdStart;
  private int[] recordIdLength;
  private final List<String> tables = new ArrayList<>(2);

  /**
   * The entries by supplier, built at the first lookup after an addition (null until then):
   * supplier s's entries are {@code entryBySupplier[supplierStart[s] .. supplierStart[s + 1])},
   * ordered by id hash then entry, with their hashes beside them in {@code hashBySupplier}; bit
   * {@code spread(hash) & 63} of {@code supplierMask[s]} is set for each, so an invoice whose bit
   * is clear (most of them) has no entry and costs one load of a word its supplier's run keeps in
   * cache. Suppliers past the last one with an entry are not in the arrays.
   */
  private int[] supplierStart;
  private long[] supplierMask;
  private int[] entryBySupplier;
  private int[] hashBySupplier;

  /** Supplier ranges up to this size are searched from the front; longer ones by bisection. */
  private static final int SCAN = 8;

  /** Where the last supplier id kept starts (-1: none yet), so that a run of one supplier's events keeps it once. */
  private int lastSupplierIdStart = -1;
  private int lastSupplierIdLength;

  /** Events known at the end of epoch day {@code asOfDay}. */
  public InvoiceEvents(int asOfDay) {
    this(asOfDay, 0);
  }

  /**
   * As {@link #InvoiceEvents(int)}, sized for about {@code expectedEvents} events (the rows of the
   * event tables, a hint; 0 or less when unknown), so that its arrays are not copied to larger ones
   * as they fill: with millions of events each doubling held the old array and the new one at once.
   */
  public InvoiceEvents(int asOfDay, long expectedEvents) {
    this.asOfDay = asOfDay;
    // a hint is trusted only while its arrays take at most a quarter of the heap (about 60 bytes
    // per event): a footer that claims more rows than that cannot make the run run out of heap
    allocate(expectedEvents > 16 && expectedEvents * 60 <= Runtime.getRuntime().maxMemory() / 4
        ? (int) expectedEvents : 16);
  }

  /** Empty arrays for {@code n} entries and events, and a slot table at most half full with them. */
  private void allocate(int n) {
    slots = new int[Integer.highestOneBit(n - 1) << 2];
    Arrays.fill(slots, NO_ENTRY);
    supplier = new int[n];
    idStart = new int[n];
    idLength = new int[n];
    idHash = new int[n];
    credited = new double[n];
    flags = new byte[n];
    supplierIdStart = new int[n];
    supplierIdLength = new int[n];
    eventEntry = new int[n];
    eventTable = new byte[n];
    eventRow = new long[n];
    recordIdStart = new int[n];
    recordIdLength = new int[n];
  }

  /** The rule of a credit note's amount (a finite amount above zero), or null when it holds. */
  public static TradeRules.Violation creditNoteAmount(double amount) {
    return amount > 0 && amount <= TradeRules.MAX_AMOUNT ? null : new TradeRules.Violation(TradeRules.AMOUNT,
        amount + " must be a finite amount in (0, " + TradeRules.MAX_AMOUNT + "]");
  }

  /**
   * The rule between a dispute's dates (resolved, when given, not before opened), or null when it
   * holds; {@code resolvedDay} is {@code Integer.MIN_VALUE} when the dispute is open.
   */
  public static TradeRules.Violation disputeDates(int openedDay, int resolvedDay) {
    return resolvedDay == Integer.MIN_VALUE || resolvedDay >= openedDay ? null : new TradeRules.Violation(
        "resolved_date", Days.describe(resolvedDay) + " is before opened_date " + Days.describe(openedDay));
  }

  /**
   * Adds a credit note of {@code amount} against invoice {@code invoiceId} of supplier index {@code
   * supplier}, booked on {@code bookingDay}; ignored when booked after D.
   *
   * @param report the record to quarantine (table, row, id) should no invoice claim it; its field
   *     and reason are filled in here
   */
  public void creditNote(String invoiceId, int supplier, String supplierId, int bookingDay, double amount,
      BadRecord report) {
    if (bookingDay > asOfDay) {
      return;
    }
    int e = entry(invoiceId, supplier, supplierId);
    credited[e] += amount;
    addEvent(e, report);
  }

  /** Adds a dispute of invoice {@code invoiceId} of supplier {@code supplier} opened on {@code openedDay}; ignored when opened after D. */
  public void dispute(String invoiceId, int supplier, String supplierId, int openedDay, BadRecord report) {
    if (openedDay > asOfDay) {
      return;
    }
    int e = entry(invoiceId, supplier, supplierId);
    flags[e] |= DISPUTED;
    addEvent(e, report);
  }

  /** Whether there are no events at all. */
  public boolean isEmpty() {
    return entryCount == 0;
  }

  /**
   * Whether an invoice of supplier index {@code supplier} whose id has {@link String#hashCode()}
   * {@code idHashCode} may have events ({@link #fill} needs to be called); when false, it has none:
   * its {@link InvoiceColumns#returnedAmount} is 0 and it is not {@link InvoiceColumns#disputed}.
   * Lets a reader that holds the id as bytes skip building its String for most invoices.
   */
  public boolean mayHaveEvents(int idHashCode, int supplier) {
    if (supplierStart == null) {
      if (entryCount == 0) {
        return false;
      }
      buildIndex();
    }
    return supplier >= 0 && supplier < supplierMask.length && (supplierMask[supplier] >>> spread(idHashCode) & 1) != 0;
  }

  /**
   * Where the entries of {@code supplier} with id hash {@code hash} start in {@code
   * entryBySupplier}, or -1 when it has none; they run while {@code hashBySupplier} holds the hash.
   */
  private int firstWithHash(int hash, int supplier) {
    if (!mayHaveEvents(hash, supplier)) {
      return -1;
    }
    int lo = supplierStart[supplier];
    int end = supplierStart[supplier + 1];
    int[] hashes = hashBySupplier;
    if (end - lo <= SCAN) {
      for (int k = lo; k < end; k++) {
        if (hashes[k] == hash) {
          return k;
        }
      }
      return -1;
    }
    int hi = end;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (hashes[mid] < hash) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < end && hashes[lo] == hash ? lo : -1;
  }

  /**
   * Sets row {@code row} of {@code chunk} (invoice {@code invoiceId} of supplier {@code supplier})
   * to the credit notes and dispute known at D, and marks its events claimed.
   */
  public void fill(InvoiceColumns chunk, int row, String invoiceId, int supplier) {
    int hash = invoiceId.hashCode();
    int e = NO_ENTRY;
    int k = firstWithHash(hash, supplier);
    if (k >= 0) {
      for (int end = supplierStart[supplier + 1]; k < end && hashBySupplier[k] == hash; k++) {
        if (sameId(entryBySupplier[k], invoiceId)) {
          e = entryBySupplier[k];
          break;
        }
      }
    }
    set(chunk, row, e);
  }

  /**
   * As {@link #fill(InvoiceColumns, int, String, int)}, the invoice id given as the ASCII bytes
   * {@code text[start .. start + length)} (each byte one character) and its {@link
   * String#hashCode()}: a reader that keeps ids as bytes joins the events without building a
   * String per invoice.
   */
  public void fill(InvoiceColumns chunk, int row, byte[] text, int start, int length, int idHashCode, int supplier) {
    int e = NO_ENTRY;
    int k = firstWithHash(idHashCode, supplier);
    if (k >= 0) {
      for (int end = supplierStart[supplier + 1]; k < end && hashBySupplier[k] == idHashCode; k++) {
        if (sameAsciiId(entryBySupplier[k], text, start, length)) {
          e = entryBySupplier[k];
          break;
        }
      }
    }
    set(chunk, row, e);
  }

  /** Sets the row to entry {@code e}'s events (none for NO_ENTRY) and marks them claimed. */
  private void set(InvoiceColumns chunk, int row, int e) {
    if (e == NO_ENTRY) {
      chunk.returnedAmount[row] = 0.0;
      chunk.disputed[row] = false;
      return;
    }
    flags[e] |= CLAIMED;
    chunk.returnedAmount[row] = credited[e];
    chunk.disputed[row] = (flags[e] & DISPUTED) != 0;
  }

  private boolean sameAsciiId(int e, byte[] text, int start, int length) {
    if (idLength[e] != length) {
      return false;
    }
    int at = idStart[e];
    if (wide == null) {
      return Arrays.equals(narrow, at, at + length, text, start, start + length);
    }
    for (int k = 0; k < length; k++) {
      if (wide[at + k] != (char) (text[start + k] & 0xff)) {
        return false;
      }
    }
    return true;
  }

  /** The kept character at {@code i}. */
  private char charAt(int i) {
    return wide != null ? wide[i] : (char) (narrow[i] & 0xff);
  }

  /** Reports every event no invoice claimed, ordered by table name, then row. */
  public void reportUnclaimed(Consumer<BadRecord> quarantine) {
    List<BadRecord> all = new ArrayList<>();
    for (int v = 0; v < eventCount; v++) {
      int e = eventEntry[v];
      if ((flags[e] & CLAIMED) == 0) {
        all.add(new BadRecord(tables.get(eventTable[v]), eventRow[v], text(recordIdStart[v], recordIdLength[v]),
            TradeRules.INVOICE_ID, TradeRules.quoted(text(idStart[e], idLength[e])) + " is not an invoice of supplier "
            + TradeRules.quoted(text(supplierIdStart[e], supplierIdLength[e]))));
      }
    }
    // a stable sort: events of one table and row (none in practice) keep the order they were added
    all.sort((x, y) -> x.table().equals(y.table()) ? Long.compare(x.row(), y.row()) : x.table().compareTo(y.table()));
    all.forEach(quarantine);
  }

  /**
   * Drops every entry and event once the join is done (after {@link #reportUnclaimed}): with a
   * million suppliers they hold over a gigabyte that the rest of the run needs. Afterwards this
   * holds no events, as if new.
   */
  public void release() {
    allocate(16);
    entryCount = 0;
    eventCount = 0;
    tables.clear();
    narrow = new byte[1 << 10];
    wide = null;
    charCount = 0;
    lastSupplierIdStart = -1;
    dropIndex();
  }

  /** The entry of (invoice, supplier), added when new. */
  private int entry(String invoiceId, int supplierIndex, String supplierId) {
    if (supplierIndex < 0) {
      throw new IllegalArgumentException("supplier index " + supplierIndex + " of invoice " + invoiceId);
    }
    if (slots == null) {
      // an event after a lookup: the adding table again, the supplier index rebuilt at the next lookup
      rehash(2 * entryCount);
      dropIndex();
    }
    int hash = invoiceId.hashCode();
    int slot = slotOf(invoiceId, hash, supplierIndex);
    if (slots[slot] != NO_ENTRY) {
      return slots[slot];
    }
    dropIndex();
    int e = entryCount;
    if (e == supplier.length) {
      int n = 2 * e;
      supplier = Arrays.copyOf(supplier, n);
      idStart = Arrays.copyOf(idStart, n);
      idLength = Arrays.copyOf(idLength, n);
      idHash = Arrays.copyOf(idHash, n);
      credited = Arrays.copyOf(credited, n);
      flags = Arrays.copyOf(flags, n);
      supplierIdStart = Arrays.copyOf(supplierIdStart, n);
      supplierIdLength = Arrays.copyOf(supplierIdLength, n);
    }
    supplier[e] = supplierIndex;
    idHash[e] = hash;
    idStart[e] = keep(invoiceId);
    idLength[e] = invoiceId.length();
    supplierIdStart[e] = keepSupplierId(supplierId);
    supplierIdLength[e] = supplierId.length();
    entryCount++;
    slots[slot] = e;
    if (2 * entryCount > slots.length) {
      rehash(2 * slots.length);
    }
    return e;
  }

  private void addEvent(int e, BadRecord report) {
    int v = eventCount;
    if (v == eventEntry.length) {
      int n = 2 * v;
      eventEntry = Arrays.copyOf(eventEntry, n);
      eventTable = Arrays.copyOf(eventTable, n);
      eventRow = Arrays.copyOf(eventRow, n);
      recordIdStart = Arrays.copyOf(recordIdStart, n);
      recordIdLength = Arrays.copyOf(recordIdLength, n);
    }
    int table = tables.indexOf(report.table());
    if (table < 0) {
      if (tables.size() == Byte.MAX_VALUE) {
        throw new IllegalArgumentException("more than " + Byte.MAX_VALUE + " event tables");
      }
      tables.add(report.table());
      table = tables.size() - 1;
    }
    eventEntry[v] = e;
    eventTable[v] = (byte) table;
    eventRow[v] = report.row();
    String recordId = report.recordId();
    // a dispute's record id is its invoice id: the entry's characters, kept once
    recordIdStart[v] = recordId == null ? 0 : sameId(e, recordId) ? idStart[e] : keep(recordId);
    recordIdLength[v] = recordId == null ? -1 : recordId.length();
    eventCount++;
  }

  /** The slot of (invoice, supplier): the one holding its entry, or the free one where it would go. */
  private int slotOf(String invoiceId, int hash, int supplierIndex) {
    int mask = slots.length - 1;
    int i = mix(hash, supplierIndex) & mask;
    while (true) {
      int e = slots[i];
      if (e == NO_ENTRY || supplier[e] == supplierIndex && idHash[e] == hash && sameId(e, invoiceId)) {
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  private boolean sameId(int e, String invoiceId) {
    int length = idLength[e];
    if (length != invoiceId.length()) {
      return false;
    }
    int start = idStart[e];
    for (int k = 0; k < length; k++) {
      if (charAt(start + k) != invoiceId.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** Rebuilds the adding table with at least {@code atLeast} slots (and at least twice the entries). */
  private void rehash(int atLeast) {
    int[] bigger = new int[Math.max(16, Integer.highestOneBit(Math.max(atLeast, 2 * entryCount + 1) - 1) << 1)];
    Arrays.fill(bigger, NO_ENTRY);
    int mask = bigger.length - 1;
    for (int e = 0; e < entryCount; e++) {
      int i = mix(idHash[e], supplier[e]) & mask;
      while (bigger[i] != NO_ENTRY) {
        i = (i + 1) & mask;
      }
      bigger[i] = e;
    }
    slots = bigger;
  }

  /** Where {@code supplierId} is kept: the last one kept when it is the same (events come by supplier), else a new copy. */
  private int keepSupplierId(String supplierId) {
    int last = lastSupplierIdStart;
    if (last >= 0 && last + supplierId.length() <= charCount && lastSupplierIdLength == supplierId.length()) {
      boolean same = true;
      for (int k = 0; k < supplierId.length() && same; k++) {
        same = charAt(last + k) == supplierId.charAt(k);
      }
      if (same) {
        return last;
      }
    }
    lastSupplierIdStart = keep(supplierId);
    lastSupplierIdLength = supplierId.length();
    return lastSupplierIdStart;
  }

  /** Appends the characters of {@code s}; returns where they start. */
  private int keep(String s) {
    int start = charCount;
    int length = s.length();
    if (wide == null) {
      for (int k = 0; k < length; k++) {
        if (s.charAt(k) > 0xff) {
          // the first id beyond Latin-1: every character two bytes from here on
          wide = new char[narrow.length];
          for (int i = 0; i < charCount; i++) {
            wide[i] = (char) (narrow[i] & 0xff);
          }
          narrow = null;
          break;
        }
      }
    }
    int capacity = wide != null ? wide.length : narrow.length;
    if (capacity - start < length) {
      // by half again, not double: this is the largest array, and while it is copied both live
      long n = Math.max((long) start + length, capacity + (capacity >> 1) + 16L);
      if (n > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("the event ids exceed 2^31 characters");
      }
      if (wide != null) {
        wide = Arrays.copyOf(wide, (int) n);
      } else {
        narrow = Arrays.copyOf(narrow, (int) n);
      }
    }
    if (wide != null) {
      s.getChars(0, length, wide, start);
    } else {
      for (int k = 0; k < length; k++) {
        narrow[start + k] = (byte) s.charAt(k);
      }
    }
    charCount = start + length;
    return start;
  }

  /** The kept text at {@code start}, null for length -1. */
  private String text(int start, int length) {
    if (length < 0) {
      return null;
    }
    return wide != null ? new String(wide, start, length)
        : new String(narrow, start, length, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private void dropIndex() {
    supplierStart = null;
    supplierMask = null;
    entryBySupplier = null;
    hashBySupplier = null;
  }

  /**
   * Groups the entries by supplier (a counting sort, stable), orders each supplier's by id hash
   * then entry, sets the suppliers' masks, and drops the adding table: from here on the entries
   * are looked up, not added to.
   */
  private void buildIndex() {
    int n = entryCount;
    int maxSupplier = -1;
    for (int e = 0; e < n; e++) {
      maxSupplier = Math.max(maxSupplier, supplier[e]);
    }
    int[] start = new int[maxSupplier + 2];
    for (int e = 0; e < n; e++) {
      start[supplier[e] + 1]++;
    }
    for (int s = 0; s <= maxSupplier; s++) {
      start[s + 1] += start[s];
    }
    int[] next = Arrays.copyOf(start, maxSupplier + 1);
    int[] entries = new int[n];
    int[] hashes = new int[n];
    for (int e = 0; e < n; e++) {
      int k = next[supplier[e]]++;
      entries[k] = e;
      hashes[k] = idHash[e];
    }
    long[] mask = new long[maxSupplier + 1];
    for (int s = 0; s <= maxSupplier; s++) {
      int from = start[s];
      int to = start[s + 1];
      sortByHash(entries, hashes, from, to);
      long m = 0;
      for (int k = from; k < to; k++) {
        m |= 1L << spread(hashes[k]);
      }
      mask[s] = m;
    }
    supplierStart = start;
    supplierMask = mask;
    entryBySupplier = entries;
    hashBySupplier = hashes;
    slots = null;
  }

  /** Orders {@code [from, to)} of the two arrays by hash, then entry. */
  private static void sortByHash(int[] entries, int[] hashes, int from, int to) {
    if (to - from <= 32) {
      for (int i = from + 1; i < to; i++) {
        int e = entries[i];
        int h = hashes[i];
        int j = i - 1;
        while (j >= from && (hashes[j] > h || hashes[j] == h && entries[j] > e)) {
          entries[j + 1] = entries[j];
          hashes[j + 1] = hashes[j];
          j--;
        }
        entries[j + 1] = e;
        hashes[j + 1] = h;
      }
      return;
    }
    long[] packed = new long[to - from];
    for (int k = from; k < to; k++) {
      packed[k - from] = (long) hashes[k] << 32 | entries[k];
    }
    Arrays.sort(packed);
    for (int k = from; k < to; k++) {
      hashes[k] = (int) (packed[k - from] >> 32);
      entries[k] = (int) packed[k - from];
    }
  }

  private static int spread(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private static int mix(int hash, int supplierIndex) {
    long z = (hash & 0xffffffffL) | (long) supplierIndex << 32;
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return (int) (z ^ (z >>> 33));
  }
}
