//! Vietnamese text: NFC storage form and the keys names are compared by.
